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
