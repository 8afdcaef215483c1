/** Every stable error code of the proxy; `error-status.ts` maps them to HTTP status and exit codes. */
export type ProxyErrorCode =
  | 'ERR_ROUTES_FILE_UNREADABLE'
  | 'ERR_ROUTES_FILE_SYNTAX'
  | 'ERR_ROUTES_INVALID'
  | 'ERR_ROUTE_UNKNOWN_UPSTREAM'
  | 'ERR_ROUTE_UNKNOWN'
  | 'ERR_CONTRACTS_REFUSED'
  | 'ERR_DATA_OWNERSHIP'
  | 'ERR_ROUTE_NOT_SERVED'
  | 'ERR_DATA_SET_UNKNOWN'
  | 'ERR_HOLD_CONFLICT'
  | 'ERR_WRITES_HELD'
  | 'ERR_HOLD_NOT_QUIET'
  | 'ERR_PROXY_CONFIG'
  | 'ERR_BAD_PATH'
  | 'ERR_ABSOLUTE_FORM'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_BODY_TIMEOUT'
  | 'ERR_TOO_MANY_BODIES'
  | 'ERR_UPSTREAM_TIMEOUT'
  | 'ERR_UPSTREAM_REFUSED'
  | 'ERR_UPSTREAM_RESET'
  | 'ERR_UPSTREAM_UNAVAILABLE'
  | 'ERR_CLIENT_CLOSED'
  | 'ERR_ADMIN_UNAUTHORIZED'
  | 'ERR_ADMIN_FORBIDDEN'
  | 'ERR_ADMIN_NOT_FOUND'
  | 'ERR_ADMIN_BAD_REQUEST'
  | 'ERR_INTERNAL';

/** The proxy's one error class: a stable `code` and a message that says how to fix it. */
export class ProxyError extends Error {
  /** Read by the shared CLI runner: a configuration problem is a usage error (exit 2). */
  readonly exitCode = 2;
  constructor(
    readonly code: ProxyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

export function isProxyError(error: unknown): error is ProxyError {
  return error instanceof ProxyError;
}
