import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { createBodyCapture } from './capture-body';
import type { ResponseSnapshot } from './compare-responses';

/**
 * Copies what is written to one client response (status, head, body up to a cap)
 * without changing or delaying it: each call goes straight through to `res`.
 * Necessary because both engines write into `res` directly; tapping `res` works for either.
 * `snapshot()` is the answer once the response finished, undefined when it was cut or too large.
 */
export function tapResponse(res: ServerResponse, maxBytes: number) {
  const copy = createBodyCapture(maxBytes);
  let head: { status: number; headers: IncomingHttpHeaders } | undefined;
  const writeHead = res.writeHead;
  const write = res.write;
  const end = res.end;
  res.writeHead = function tappedWriteHead(
    this: ServerResponse,
    status: number,
    ...rest: unknown[]
  ) {
    const headers = rest.find((arg) => arg && typeof arg === 'object') as
      | OutgoingHttpHeaders
      | undefined;
    head = { status, headers: lowerCase(headers ?? {}) };
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as ServerResponse['writeHead'];
  res.write = function tappedWrite(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) copy.push(chunk);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function tappedEnd(this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) copy.push(chunk);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
  return {
    snapshot(): ResponseSnapshot | undefined {
      const body = copy.result();
      if (!res.writableFinished || !body) return undefined;
      const status = head?.status ?? res.statusCode;
      const headers = { ...lowerCase(res.getHeaders()), ...head?.headers };
      return { status, headers: headers as Record<string, string | string[]>, body };
    },
  };
}

function lowerCase(
  headers: OutgoingHttpHeaders | IncomingHttpHeaders | readonly string[],
): IncomingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  if (Array.isArray(headers)) {
    // writeHead's flat form (name, value, name, value…), as the proxy writes it: repeated names become a list.
    for (let i = 0; i < headers.length; i += 2) {
      const name = String(headers[i]).toLowerCase();
      const prior = out[name];
      const value = String(headers[i + 1]);
      if (prior === undefined) out[name] = value;
      else if (Array.isArray(prior)) prior.push(value);
      else out[name] = [prior, value];
    }
    return out;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}
