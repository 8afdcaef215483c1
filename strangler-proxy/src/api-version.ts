import type { IncomingHttpHeaders } from 'node:http';

/**
 * The API major version a request asks for: "2", "v2", "2.0", "2.1.3" → 2; no header → 1 (a
 * caller that never heard of versions is a v1 caller); anything unreadable → null.
 */
export function requestedMajor(headers: IncomingHttpHeaders, header: string): number | null {
  const raw = headers[header];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value.trim() === '') return 1;
  const match = /^v?(\d{1,3})(\.\d{1,3}){0,2}$/i.exec(value.trim());
  return match ? Number(match[1]) : null;
}
