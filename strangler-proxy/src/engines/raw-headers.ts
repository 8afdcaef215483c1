import type { IncomingHttpHeaders } from 'node:http';

/** undici's raw header buffers → a header object; repeated headers (Set-Cookie) become arrays. */
export function parseRawHeaders(raw: Buffer[] | string[]): IncomingHttpHeaders {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toString('latin1').toLowerCase();
    const value = raw[i + 1].toString('latin1');
    const prior = headers[name];
    if (prior === undefined) headers[name] = value;
    else if (Array.isArray(prior)) prior.push(value);
    else headers[name] = [prior, value];
  }
  return headers as IncomingHttpHeaders;
}
