export type ReportingErrorCode = 'VALIDATION_FAILED' | 'NOT_FOUND' | 'INTERNAL';

const STATUS: Record<ReportingErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  INTERNAL: 500,
};

/** The reporting service's one error class (same codes and shape as the monolith's). */
export class ReportingError extends Error {
  constructor(
    readonly code: ReportingErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ReportingError';
  }
}

export function statusOf(code: ReportingErrorCode): number {
  return STATUS[code];
}
