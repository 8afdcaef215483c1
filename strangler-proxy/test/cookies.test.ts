import { readCookie } from '../src/cookies';

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
