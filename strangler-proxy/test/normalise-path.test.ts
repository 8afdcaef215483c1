import { normaliseTarget } from '../src/normalise-path';
import { ProxyError } from '../src/errors';

describe('normaliseTarget: the path the matcher sees is the path the upstream gets', () => {
  it.each([
    ['/catalog/albums', '/catalog/albums'],
    ['/catalog/../finance', '/finance'],
    ['//finance', '/finance'],
    ['/catalog//albums///1', '/catalog/albums/1'],
    ['/catalog/%2e%2e/finance', '/finance'],
    ['/catalog/%2E%2E/finance', '/finance'],
    ['/catalog/.%2e/finance', '/finance'],
    ['/catalog/./albums', '/catalog/albums'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/catalog/albums/', '/catalog/albums/'],
    ['/catalog/..', '/'],
    ['/%63atalog', '/catalog'],
    ['/catalog/caf%c3%a9', '/catalog/caf%C3%A9'],
    ['/catalog/%252e%252e/finance', '/catalog/%252e%252e/finance'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseTarget(raw, true).path).toBe(expected);
  });

  it('keeps the query string untouched and out of the segments', () => {
    const target = normaliseTarget('/catalog/albums?q=../finance&x=%2f', true);
    expect(target.query).toBe('?q=../finance&x=%2f');
    expect(target.segments).toEqual(['catalog', 'albums']);
  });

  it('lower-cases the match segments when routes are case-insensitive, but forwards the original case', () => {
    const target = normaliseTarget('/CaTaLoG/Albums', false);
    expect(target.segments).toEqual(['catalog', 'albums']);
    expect(target.path).toBe('/CaTaLoG/Albums');
  });

  it.each([
    ['encoded slash', '/catalog%2f..%2ffinance', 'ERR_BAD_PATH'],
    ['encoded slash lower case', '/catalog%2Ffinance', 'ERR_BAD_PATH'],
    ['encoded backslash', '/catalog%5c..%5cfinance', 'ERR_BAD_PATH'],
    ['raw backslash', '/catalog\\..\\finance', 'ERR_BAD_PATH'],
    ['encoded NUL', '/catalog%00', 'ERR_BAD_PATH'],
    ['malformed escape', '/catalog%zz', 'ERR_BAD_PATH'],
    ['truncated escape', '/catalog%2', 'ERR_BAD_PATH'],
    ['absolute-form target', 'http://evil.example/finance', 'ERR_ABSOLUTE_FORM'],
    ['asterisk-form target', '*', 'ERR_ABSOLUTE_FORM'],
    ['scheme-relative authority', 'evil.example:80/x', 'ERR_ABSOLUTE_FORM'],
  ])('refuses %s', (_label, raw, code) => {
    let caught: unknown;
    try {
      normaliseTarget(raw, true);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProxyError);
    expect((caught as ProxyError).code).toBe(code);
  });

  it('gives the same answer as a plain dot-segment resolution for any mix of segments, dots and slashes (fast path included)', () => {
    // The reference: split, drop '' and '.', pop on '..', keep a trailing slash when the last part was '', '.' or '..'.
    const reference = (raw: string, caseSensitive: boolean) => {
      const parts = raw.split('/');
      const segments: string[] = [];
      for (const part of parts) {
        if (part === '' || part === '.') continue;
        if (part === '..') segments.pop();
        else segments.push(part);
      }
      const last = parts[parts.length - 1];
      const trailing = segments.length > 0 && ['', '.', '..'].includes(last);
      return {
        path: `/${segments.join('/')}${trailing ? '/' : ''}`,
        segments: caseSensitive ? segments : segments.map((s) => s.toLowerCase()),
      };
    };
    const pieces = ['/', '/', 'a', 'B', '.', '..', 'cat', 'x.y', '.z'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length;
    for (let i = 0; i < 5_000; i++) {
      const raw = `/${Array.from({ length: 1 + (i % 8) }, () => pieces[next()]).join('')}`;
      for (const caseSensitive of [true, false]) {
        const got = normaliseTarget(`${raw}?q=1`, caseSensitive);
        expect({ raw, path: got.path, segments: got.segments }).toEqual({
          raw,
          ...reference(raw, caseSensitive),
        });
        expect(got.query).toBe('?q=1');
      }
    }
  });
});
