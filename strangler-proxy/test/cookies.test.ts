import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../src/cookies';

describe('reading a cookie (sticky canary cookie, dashboard session)', () => {
  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; session=abc; b=2', 'session')).toBe('abc');
    expect(readCookie(' session = abc ', 'session')).toBe('abc');
    expect(readCookie('session=a=b', 'session')).toBe('a=b');
    expect(readCookie('a=1', 'session')).toBeUndefined();
    expect(readCookie(undefined, 'session')).toBeUndefined();
  });

  it('ignores malformed pairs', () => {
    expect(readCookie('session; =x; session=ok', 'session')).toBe('ok');
    expect(readCookie('=x', '')).toBeUndefined();
  });
});

describe('the dashboard session cookie', () => {
  it('is HttpOnly, SameSite=Strict and scoped to /dashboard, Secure only over TLS', () => {
    expect(sessionCookie('abc', 60, false)).toBe(
      `${SESSION_COOKIE}=abc; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=60`,
    );
    expect(sessionCookie('abc', 60, true)).toMatch(/; Secure$/);
  });

  it('is cleared with an empty value and Max-Age=0, and reads back through readCookie', () => {
    expect(clearedSessionCookie(false)).toMatch(/^strangler_session=; .*Max-Age=0$/);
    const [pair] = sessionCookie('id-1', 60, false).split(';');
    expect(readCookie(`a=1; ${pair}`, SESSION_COOKIE)).toBe('id-1');
  });
});
