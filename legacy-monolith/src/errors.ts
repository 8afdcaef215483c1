/** Every error the monolith reports to a client, with its stable code. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  OUT_OF_STOCK: 409,
  INVALID_STATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
  // An upstream (finance-service) refused or failed to book the money; the saga has compensated.
  PAYMENT_FAILED: 502,
  // The catalog service (CATALOG_ADAPTER=http) is down, slow or answered an error.
  CATALOG_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one place a code becomes an HTTP status. */
export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/** The monolith's only error class: a stable `code`, a message that says what to fix, and the field at fault. */
export class MonolithError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'MonolithError';
  }
}

export function validationFailed(field: string, message: string): MonolithError {
  return new MonolithError('VALIDATION_FAILED', message, field);
}

export function notFound(what: string, id: number | string): MonolithError {
  return new MonolithError('NOT_FOUND', `${what} ${id} does not exist`);
}
