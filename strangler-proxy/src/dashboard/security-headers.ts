import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export const newNonce = () => randomBytes(16).toString('base64');

/**
 * SECURITY: the page's only script and style elements (`<script type="module" src>`,
 * `<link rel="stylesheet">`, pointing at the dashboard's own files) carry a per-response nonce,
 * so an injected `<script>`, `<link>` or inline handler would not run even if escaping failed;
 * the script's own imports inherit the nonce. The page talks to its own origin only and cannot
 * be framed.
 */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  nonce: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    // require-trusted-types-for: the browser refuses any string written to innerHTML and the like.
    'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; require-trusted-types-for 'script'`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on the login post, which the origin check refuses.
    'referrer-policy': 'same-origin',
    ...extra,
  });
  res.end(html);
}

/**
 * SECURITY: the page's own script and style files. `nosniff` has the browser use them only as
 * their content-type says; `Cross-Origin-Resource-Policy` keeps other sites from embedding them;
 * the CSP leaves a file opened on its own inert. `no-cache` with an ETag: the browser asks each
 * time and gets a 304 until the proxy serves a new version.
 */
export function sendAsset(
  res: ServerResponse,
  status: 200 | 304,
  body: Buffer | null,
  headers: { 'content-type': string; etag: string },
): void {
  res.writeHead(status, {
    ...headers,
    ...(body ? { 'content-length': body.length } : {}),
    'cache-control': 'no-cache',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
  });
  res.end(body ?? undefined);
}

export function redirect(
  res: ServerResponse,
  location: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', 'content-length': 0, ...extra });
  res.end();
}
