/** The value of one cookie in a Cookie header, or undefined; malformed pairs are ignored. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** The dashboard's session cookie: a random session id, never the admin token. */
export const SESSION_COOKIE = 'strangler_session';

/**
 * SECURITY: HttpOnly keeps the session id away from scripts; SameSite=Strict
 * keeps other sites from riding it. Path=/dashboard because cookies ignore
 * ports: with Path=/ the browser would also send the id to the proxy's public
 * port on the same host, and the proxy would forward it to every upstream. `Secure` is added only when the admin port
 * is served over TLS, since the default admin port is plain HTTP on loopback.
 */
export function sessionCookie(id: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
