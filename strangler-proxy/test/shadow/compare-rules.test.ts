import { parse } from 'yaml';
import { shadowSpecSchema } from '../../src/shadow';

describe("a route's shadow block", () => {
  it('accepts the short form `shadow: <upstream>` with safe defaults', () => {
    expect(shadowSpecSchema.parse('catalog')).toEqual({
      upstream: 'catalog',
      sandbox: false,
      maxConcurrent: 10,
      percent: 100,
      timeoutMs: 2000,
      learnNoise: false,
      compare: {
        status: true,
        headers: [],
        ignore: [],
        arrayKeys: {},
        toleranceByPath: {},
        body: 'auto',
        maxDifferences: 100,
      },
    });
  });

  it('reads the documented YAML form', () => {
    const spec = shadowSpecSchema.parse(
      parse(`
upstream: catalog
maxConcurrent: 4
compare:
  headers: [content-type]
  ignore: ['$.items[*].updatedAt', '$.meta.*']
  arrayKeys: { $.items: id }
  tolerance: { absolute: 0.01 }
learnNoise: { share: 0.1 }
`),
    );
    expect(spec).toMatchObject({
      maxConcurrent: 4,
      compare: { arrayKeys: { '$.items': 'id' }, tolerance: { absolute: 0.01, relative: 0 } },
      learnNoise: { share: 0.1, samples: 20, threshold: 3 },
    });
  });

  it.each([
    ['an unknown field', { upstream: 'c', mirror: true }, 'mirror'],
    [
      'a bad pattern inside compare',
      { upstream: 'c', compare: { ignore: ['$.a['] } },
      'compare.ignore.0: path pattern "$.a["',
    ],
    [
      'a threshold above the window',
      { upstream: 'c', learnNoise: { samples: 2, threshold: 3 } },
      'threshold must not exceed samples',
    ],
    ['a share above 1', { upstream: 'c', learnNoise: { share: 2 } }, 'share'],
  ])('refuses %s', (_label, value, message) => {
    const result = shadowSpecSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(
      result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'),
    ).toContain(message);
  });
});
