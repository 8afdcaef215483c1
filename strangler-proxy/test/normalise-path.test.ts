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
});
