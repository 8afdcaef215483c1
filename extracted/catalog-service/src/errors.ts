/** Every error the catalog service reports, with the same codes and statuses as the monolith's /catalog. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  NOT_FOUND: 404,
  VERSION_UNSUPPORTED: 406,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one place a code becomes an HTTP status. */
export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

export class CatalogError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

export function validationFailed(field: string, message: string): CatalogError {
  return new CatalogError('VALIDATION_FAILED', message, field);
}

export function notFound(what: string, id: number | string): CatalogError {
  return new CatalogError('NOT_FOUND', `${what} ${id} does not exist`);
}
