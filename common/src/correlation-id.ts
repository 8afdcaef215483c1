import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';

// SECURITY: a client-supplied ID is echoed into logs and headers, so only
// plain printable tokens of bounded length are kept; anything else is replaced.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a well-formed client correlation ID or makes a new one. */
export function pickCorrelationId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && SAFE_ID.test(value) ? value : randomUUID();
}
