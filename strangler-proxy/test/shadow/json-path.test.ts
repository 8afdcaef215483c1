import { matchesPath, parsePathPattern, type PathSegment } from '../../src/shadow/json-path';

const path = (...segments: PathSegment[]) => segments;

describe('path patterns', () => {
  it('reads names, quoted names, indexes, wildcards and descent', () => {
    expect(parsePathPattern("$.items[*]['odd name'][2]..id").steps).toEqual([
      { type: 'key', name: 'items' },
      { type: 'any' },
      { type: 'key', name: 'odd name' },
      { type: 'index', index: 2 },
      { type: 'descend' },
      { type: 'key', name: 'id' },
    ]);
    expect(parsePathPattern('$').steps).toEqual([]);
  });

  it.each([
    ['items', 'must start with "$"'],
    ['$.items[', 'cannot read "["'],
    ['$...x', '"..." is not allowed'],
    ['$.a b', 'cannot read " b"'],
  ])('refuses %s with a fix', (source, message) => {
    expect(() => parsePathPattern(source)).toThrow(
      expect.objectContaining({
        code: 'ERR_SHADOW_PATTERN_INVALID',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('matches array elements by position, by key, and any child with *', () => {
    const pattern = parsePathPattern('$.items[*].updatedAt');
    expect(matchesPath(pattern, path({ key: 'items' }, { index: 4 }, { key: 'updatedAt' }))).toBe(
      true,
    );
    expect(
      matchesPath(pattern, path({ key: 'items' }, { keyed: 'id', value: 7 }, { key: 'updatedAt' })),
    ).toBe(true);
    expect(matchesPath(pattern, path({ key: 'items' }, { index: 4 }, { key: 'price' }))).toBe(
      false,
    );
    expect(
      matchesPath(parsePathPattern('$.meta.*'), path({ key: 'meta' }, { key: 'requestId' })),
    ).toBe(true);
    expect(matchesPath(parsePathPattern('$.meta.*'), path({ key: 'meta' }))).toBe(false);
    expect(matchesPath(parsePathPattern('$.items[1]'), path({ key: 'items' }, { index: 0 }))).toBe(
      false,
    );
  });

  it('matches a name at any depth with ..', () => {
    const pattern = parsePathPattern('$..etag');
    expect(matchesPath(pattern, path({ key: 'etag' }))).toBe(true);
    expect(matchesPath(pattern, path({ key: 'a' }, { index: 0 }, { key: 'etag' }))).toBe(true);
    expect(matchesPath(pattern, path({ key: 'a' }, { key: 'etags' }))).toBe(false);
  });
});
