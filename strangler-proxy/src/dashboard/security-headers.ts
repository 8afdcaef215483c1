import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export const newNonce = () => randomBytes(16).toString('base64');

/**
 * SECURITY: the page's only script and style carry a per-response nonce, so an
 * injected `<script>` or inline handler would not run even if escaping failed;
 * the page talks to its own origin only and cannot be framed.
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
    'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on the login post, which the origin check refuses.
    'referrer-policy': 'same-origin',
    ...extra,
  });
  res.end(html);
}

export function redirect(
  res: ServerResponse,
  location: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', 'content-length': 0, ...extra });
  res.end();
}
