import type { ServerResponse } from 'node:http';
import type { ProxyError, ProxyErrorCode } from './errors';

// The one place where error codes become HTTP status codes (CLI exit codes: ProxyError.exitCode).
const HTTP_STATUS: Record<ProxyErrorCode, number> = {
  ERR_ROUTES_FILE_UNREADABLE: 422,
  ERR_ROUTES_FILE_SYNTAX: 422,
  ERR_ROUTES_INVALID: 422,
  ERR_ROUTE_UNKNOWN_UPSTREAM: 422,
  ERR_ROUTE_UNKNOWN: 404,
  ERR_CONTRACTS_REFUSED: 409,
  ERR_DATA_OWNERSHIP: 409,
  ERR_ROUTE_NOT_SERVED: 409,
  ERR_DATA_SET_UNKNOWN: 404,
  ERR_HOLD_CONFLICT: 409,
  ERR_WRITES_HELD: 503,
  ERR_HOLD_NOT_QUIET: 503,
  ERR_PROXY_CONFIG: 500,
  ERR_BAD_PATH: 400,
  ERR_ABSOLUTE_FORM: 400,
  ERR_BODY_TOO_LARGE: 413,
  ERR_BODY_TIMEOUT: 408,
  ERR_TOO_MANY_BODIES: 429,
  ERR_UPSTREAM_TIMEOUT: 504,
  ERR_UPSTREAM_REFUSED: 502,
  ERR_UPSTREAM_RESET: 502,
  ERR_UPSTREAM_UNAVAILABLE: 503,
  // The client left before the answer (nginx's 499): nobody reads it, the logs do.
  ERR_CLIENT_CLOSED: 499,
  ERR_ADMIN_UNAUTHORIZED: 401,
  ERR_ADMIN_FORBIDDEN: 403,
  ERR_ADMIN_NOT_FOUND: 404,
  ERR_ADMIN_BAD_REQUEST: 400,
  ERR_INTERNAL: 500,
};

export function httpStatusOf(code: ProxyErrorCode): number {
  return HTTP_STATUS[code];
}

/** Writes the shared JSON error shape, unless the response has already started. */
export function sendError(res: ServerResponse, error: ProxyError, correlationId?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  };
  if (correlationId) headers['x-correlation-id'] = correlationId;
  res.writeHead(httpStatusOf(error.code), headers);
  res.end(body);
}
