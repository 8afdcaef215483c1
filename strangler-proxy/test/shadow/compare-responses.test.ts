import zlib from 'node:zlib';
import {
  compareResponses,
  compileRules,
  createResultsStore,
  type ResponseSnapshot,
} from '../../src/shadow';

const json = (
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): ResponseSnapshot => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: Buffer.from(JSON.stringify(body)),
});

const diffsOf = (a: ResponseSnapshot, b: ResponseSnapshot, rules: unknown = {}) =>
  compareResponses(a, b, compileRules(rules)).differences.map(({ path, kind, a: x, b: y }) => ({
    path,
    kind,
    a: x,
    b: y,
  }));

describe('compareResponses', () => {
  it('finds no difference between equal JSON bodies written with different key order and spacing', () => {
    const a: ResponseSnapshot = {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1,"b":[1,2]}',
    };
    const b: ResponseSnapshot = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{ "b": [1, 2], "a": 1 }',
    };
    expect(compareResponses(a, b)).toEqual({ match: true, differences: [], truncated: false });
  });

  it('reports status, chosen headers (names case-insensitive) and every body difference with its kind', () => {
    const a = json({ id: 1, name: 'Blue', tags: ['x'], price: 10, gone: true }, 200, {
      'X-Total': '3',
    });
    const b = json({ id: '1', name: 'Red', tags: ['x', 'y'], price: 10, added: 1 }, 201, {
      'x-total': '4',
    });
    expect(diffsOf(a, b, { headers: ['X-TOTAL'] })).toEqual([
      { path: 'status', kind: 'status', a: 200, b: 201 },
      { path: 'headers.x-total', kind: 'header', a: '3', b: '4' },
      { path: '$.id', kind: 'type', a: 1, b: '1' },
      { path: '$.name', kind: 'value', a: 'Blue', b: 'Red' },
      { path: '$.tags[1]', kind: 'extra', a: undefined, b: 'y' },
      { path: '$.gone', kind: 'missing', a: true, b: undefined },
      { path: '$.added', kind: 'extra', a: undefined, b: 1 },
    ]);
  });

  it('ignores the paths the rules name, including everything under them', () => {
    const a = json({
      items: [{ id: 1, updatedAt: 'mon' }],
      meta: { took: 3, node: 'a' },
      total: 1,
    });
    const b = json({ items: [{ id: 1, updatedAt: 'tue' }], meta: { took: 9 }, total: 2 });
    expect(diffsOf(a, b, { ignore: ['$.items[*].updatedAt', '$.meta'] })).toEqual([
      { path: '$.total', kind: 'value', a: 1, b: 2 },
    ]);
    expect(diffsOf(a, b, { ignore: ['$.items[*].updatedAt', '$.meta.*'] })).toEqual([
      { path: '$.total', kind: 'value', a: 1, b: 2 },
    ]);
  });

  it('compares arrays by a key regardless of order, naming elements by their key', () => {
    const a = json({
      items: [
        { id: 1, qty: 1 },
        { id: 2, qty: 5 },
        { id: 3, qty: 1 },
      ],
    });
    const b = json({
      items: [
        { id: 4, qty: 1 },
        { id: 2, qty: 6 },
        { id: 1, qty: 1 },
      ],
    });
    expect(diffsOf(a, b, { arrayKeys: { '$.items': 'id' } })).toEqual([
      { path: '$.items[id=2].qty', kind: 'value', a: 5, b: 6 },
      { path: '$.items[id=3]', kind: 'missing', a: { id: 3, qty: 1 }, b: undefined },
      { path: '$.items[id=4]', kind: 'extra', a: undefined, b: { id: 4, qty: 1 } },
    ]);
    // without the rule the same arrays differ at every position
    expect(diffsOf(a, b).map((d) => d.path)).toEqual([
      '$.items[0].id',
      '$.items[1].qty',
      '$.items[2].id',
    ]);
  });

  it('falls back to positions when an element lacks the key or a key repeats', () => {
    const a = json([{ id: 1 }, { id: 1 }]);
    const b = json([{ id: 1 }, { id: 2 }]);
    expect(diffsOf(a, b, { arrayKeys: { $: 'id' } })).toEqual([
      { path: '$[1].id', kind: 'value', a: 1, b: 2 },
    ]);
  });

  it('accepts numbers within the absolute or relative tolerance, per path where given', () => {
    const a = json({ price: 10, total: 1000, rate: 0.5 });
    const b = json({ price: 10.004, total: 1000.9, rate: 0.52 });
    expect(diffsOf(a, b).map((d) => d.path)).toEqual(['$.price', '$.total', '$.rate']);
    expect(
      diffsOf(a, b, { tolerance: { absolute: 0.01, relative: 0.001 } }).map((d) => d.path),
    ).toEqual(['$.rate']);
    expect(
      diffsOf(a, b, {
        tolerance: { absolute: 0.01 },
        toleranceByPath: { '$.rate': { absolute: 0.05 } },
      }).map((d) => d.path),
    ).toEqual(['$.total']);
  });

  it('compares non-JSON bodies by bytes and reports sizes and hashes', () => {
    const a: ResponseSnapshot = {
      status: 200,
      headers: { 'content-type': 'image/png' },
      body: Buffer.from([1, 2, 3]),
    };
    const same: ResponseSnapshot = { status: 200, headers: {}, body: Buffer.from([1, 2, 3]) };
    const other: ResponseSnapshot = { status: 200, headers: {}, body: Buffer.from([1, 2, 4]) };
    expect(compareResponses(a, same).match).toBe(true);
    const [difference] = compareResponses(a, other).differences;
    expect(difference).toMatchObject({
      path: '$',
      kind: 'value',
      a: { bytes: 3 },
      b: { bytes: 3 },
    });
    expect((difference.a as { sha256: string }).sha256).not.toEqual(
      (difference.b as { sha256: string }).sha256,
    );
  });

  it('reports a JSON answer against a non-JSON one as a type difference', () => {
    const html: ResponseSnapshot = {
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<h1>ok</h1>',
    };
    expect(diffsOf(json({ ok: true }), html)).toEqual([
      {
        path: '$',
        kind: 'type',
        a: { json: { ok: true } },
        b: expect.objectContaining({ bytes: 11 }),
      },
    ]);
  });

  it('takes already-parsed bodies as JSON and parses text when the rules say body: json', () => {
    expect(
      compareResponses({ status: 200, body: { a: 1 } }, { status: 200, body: { a: 1 } }).match,
    ).toBe(true);
    const text = (body: string): ResponseSnapshot => ({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body,
    });
    expect(diffsOf(text('{"a":1}'), text('{"a": 1}'))).toHaveLength(1);
    expect(diffsOf(text('{"a":1}'), text('{"a": 1}'), { body: 'json' })).toEqual([]);
  });

  it('compares compressed answers by content, whatever the encoding', () => {
    const text = JSON.stringify({ id: 1, title: 'Blue' });
    const gzip: ResponseSnapshot = {
      status: 200,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: zlib.gzipSync(text),
    };
    const br: ResponseSnapshot = {
      status: 200,
      headers: { 'content-type': 'application/json', 'Content-Encoding': 'br' },
      body: zlib.brotliCompressSync(text),
    };
    expect(compareResponses(gzip, br).match).toBe(true);
    expect(compareResponses(gzip, json({ id: 1, title: 'Blue' })).match).toBe(true);
    expect(diffsOf(gzip, json({ id: 1, title: 'Red' }))).toEqual([
      { path: '$.title', kind: 'value', a: 'Blue', b: 'Red' },
    ]);
  });

  it('ignores learned noise fields given as options', () => {
    const a = json({ items: [{ at: 1 }, { at: 2 }], n: 1 }, 200, { date: 'x' });
    const b = json({ items: [{ at: 3 }, { at: 4 }], n: 1 }, 200, { date: 'y' });
    const rules = compileRules({ headers: ['date'] });
    expect(compareResponses(a, b, rules).differences).toHaveLength(3);
    expect(
      compareResponses(a, b, rules, { noise: new Set(['$.items[*].at', 'headers.date']) }).match,
    ).toBe(true);
  });

  it('stops at maxDifferences and says the list is truncated', () => {
    const many = (value: number) => json(Array.from({ length: 50 }, () => value));
    const result = compareResponses(many(1), many(2), compileRules({ maxDifferences: 5 }));
    expect(result).toMatchObject({ match: false, truncated: true });
    expect(result.differences).toHaveLength(5);
  });
});

describe('compareResponses on hostile bodies', () => {
  it('compares bodies nested deeper than the call stack allows without throwing', () => {
    const nest = (depth: number, leaf: number): unknown => {
      let v: unknown = leaf;
      for (let i = 0; i < depth; i++) v = { n: v };
      return v;
    };
    const deep = (leaf: number) => ({ status: 200, body: nest(20_000, leaf) });
    expect(compareResponses(deep(1), deep(1)).match).toBe(true);
    const result = compareResponses(deep(1), deep(2));
    expect(result.match).toBe(false);
    expect(result.differences[0].path.startsWith('$.n.n.n')).toBe(true);
    const store = createResultsStore();
    store.record({
      route: 'deep',
      method: 'GET',
      path: '/',
      correlationId: 'c',
      a: deep(1),
      b: { status: 200, body: { n: nest(20_000, 1) } },
      comparison: compareResponses(deep(1), { status: 200, body: { x: nest(20_000, 1) } }),
    });
    expect(JSON.stringify(store.samples('deep'))).toContain('cannot render: nested too deep');
  });
});

describe('compileRules', () => {
  it('refuses unknown fields and bad patterns, naming the source, the field and the rules format', () => {
    expect(() => compileRules({ ignor: [] }, 'rules.yaml')).toThrow(
      /rules\.yaml: top level: .*ignor[\s\S]*README/,
    );
    expect(() => compileRules({ ignore: ['items'] }, 'rules.yaml')).toThrow(
      /rules\.yaml: ignore\.0: path pattern "items" must start with "\$"/,
    );
    expect(() => compileRules({ tolerance: { relative: 2 } })).toThrow(
      expect.objectContaining({ code: 'ERR_SHADOW_RULES_INVALID' }),
    );
  });
});
