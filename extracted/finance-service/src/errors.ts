/** Every error the finance service reports; the monolith's /finance codes plus the service's own. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
  INVALID_STATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
  CATALOG_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one place a code becomes an HTTP status. */
export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

export class FinanceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'FinanceError';
  }
}

export function validationFailed(field: string, message: string): FinanceError {
  return new FinanceError('VALIDATION_FAILED', message, field);
}

export function notFound(what: string, id: number | string): FinanceError {
  return new FinanceError('NOT_FOUND', `${what} ${id} does not exist`);
}
