import { ProxyError } from '../errors';

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'ERR_UPSTREAM_TIMEOUT',
]);
const REFUSED_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Turns any engine's failure into the proxy's codes: timeout → 504, refused / reset → 502. */
export function toUpstreamError(error: unknown, origin: string): ProxyError {
  if (error instanceof ProxyError) return error;
  const err = error as { code?: string; message?: string; cause?: { code?: string } };
  const code = err?.code ?? err?.cause?.code ?? '';
  if (TIMEOUT_CODES.has(code)) {
    return new ProxyError('ERR_UPSTREAM_TIMEOUT', `upstream ${origin} did not answer in time`);
  }
  if (REFUSED_CODES.has(code)) {
    return new ProxyError(
      'ERR_UPSTREAM_REFUSED',
      `upstream ${origin} refused the connection (${code}); is it running?`,
    );
  }
  return new ProxyError(
    'ERR_UPSTREAM_RESET',
    `upstream ${origin} failed: ${err?.message ?? String(error)}`,
  );
}
