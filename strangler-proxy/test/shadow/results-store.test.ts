import { gzipSync } from 'node:zlib';
import {
  compareResponses,
  createResultsStore,
  OTHER_FIELDS,
  OTHER_ROUTES,
  type ResponseSnapshot,
} from '../../src/shadow';

const json = (body: unknown): ResponseSnapshot => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

function exchange(route: string, a: unknown, b: unknown, correlationId = 'c-1') {
  const first = json(a);
  const second = json(b);
  return {
    route,
    method: 'GET',
    path: `/${route}`,
    correlationId,
    a: first,
    b: second,
    comparison: compareResponses(first, second),
  };
}

describe('shadow results store', () => {
  it('counts comparisons, match rate and differing fields per route (a field once per request)', () => {
    const store = createResultsStore();
    store.record(exchange('albums', { n: 1 }, { n: 1 }));
    store.record(exchange('albums', { n: 1, items: [1, 2] }, { n: 2, items: [3, 4] }));
    store.record(exchange('albums', { n: 1 }, { n: 3 }));
    store.record(exchange('albums', { n: 1 }, { n: 1 }));
    store.countDropped('albums', 'timeout');
    expect(store.route('albums')).toEqual({
      route: 'albums',
      compared: 4,
      matched: 2,
      differed: 2,
      matchRate: 0.5,
      dropped: { timeout: 1 },
      fields: [
        { field: '$.n', count: 2 },
        { field: '$.items[*]', count: 1 },
      ],
    });
    expect(store.route('other')).toBeUndefined();
  });

  it('keeps differing samples with both bodies, the correlation id, method, path and time, newest first', () => {
    const store = createResultsStore();
    store.record({
      ...exchange('albums', { n: 1 }, { n: 2 }, 'corr-1'),
      at: new Date('2026-01-01T00:00:00Z'),
    });
    store.record(exchange('albums', { n: 1 }, { n: 1 }, 'corr-match'));
    store.record(exchange('albums', { n: 1 }, { n: 3 }, 'corr-2'));
    const samples = store.samples('albums');
    expect(samples.map((s) => s.correlationId)).toEqual(['corr-2', 'corr-1']);
    expect(samples[1]).toMatchObject({
      method: 'GET',
      path: '/albums',
      timestamp: '2026-01-01T00:00:00.000Z',
      differences: [{ path: '$.n', kind: 'value', a: 1, b: 2 }],
      a: {
        status: 200,
        body: '{"n":1}',
        headers: { 'content-type': 'application/json' },
        truncated: false,
      },
      b: { body: '{"n":2}' },
    });
  });

  it('stays bounded: ring of samples per route, truncated bodies, capped routes and fields', () => {
    const store = createResultsStore({
      samplesPerRoute: 3,
      maxBodyBytes: 10,
      maxRoutes: 2,
      maxFieldsPerRoute: 2,
    });
    for (let i = 0; i < 10; i++)
      store.record(exchange('albums', { [`f${i}`]: 'x'.repeat(600) }, {}, `c${i}`));
    expect(store.samples('albums').map((s) => s.correlationId)).toEqual(['c9', 'c8', 'c7']);
    expect(store.samples('albums')[0].a).toMatchObject({
      body: '{"f9":"xxx',
      bodyBytes: 609,
      truncated: true,
    });
    expect(store.samples('albums')[0].differences[0].a).toEqual({
      truncated: true,
      preview: expect.stringMatching(/^"x{511}$/),
    });
    expect(store.route('albums')!.fields).toEqual([
      { field: OTHER_FIELDS, count: 8 },
      { field: '$.f0', count: 1 },
      { field: '$.f1', count: 1 },
    ]);
    store.record(exchange('b', { n: 1 }, { n: 1 }));
    store.record(exchange('c', { n: 1 }, { n: 1 }));
    store.record(exchange('d', { n: 1 }, { n: 1 }));
    expect(store.summary().map((r) => [r.route, r.compared])).toEqual([
      ['albums', 10],
      ['b', 1],
      [OTHER_ROUTES, 2],
    ]);
  });

  it('never keeps credentials from response headers in samples', () => {
    const store = createResultsStore();
    const a: ResponseSnapshot = {
      status: 200,
      headers: { 'Set-Cookie': ['sid=secret'], 'content-type': 'text/plain' },
      body: 'x',
    };
    const b: ResponseSnapshot = {
      status: 200,
      headers: { 'www-authenticate': 'Bearer realm=x' },
      body: 'y',
    };
    store.record({
      route: 'r',
      method: 'GET',
      path: '/',
      correlationId: 'c',
      a,
      b,
      comparison: compareResponses(a, b),
    });
    const [sample] = store.samples();
    expect(sample.a.headers).toEqual({ 'set-cookie': '[redacted]', 'content-type': 'text/plain' });
    expect(sample.b.headers).toEqual({ 'www-authenticate': '[redacted]' });
  });
});

describe('samples of compressed answers', () => {
  it('shows the decoded text, not the compressed bytes', () => {
    const store = createResultsStore();
    const a: ResponseSnapshot = {
      status: 200,
      headers: { 'content-encoding': 'gzip' },
      body: gzipSync('{"n":1}'),
    };
    const b: ResponseSnapshot = { status: 200, body: Buffer.from('{"n":2}') };
    store.record({
      route: 'r',
      method: 'GET',
      path: '/',
      correlationId: 'c',
      a,
      b,
      comparison: compareResponses(a, b),
    });
    expect(store.samples()[0].a).toMatchObject({ body: '{"n":1}', bodyBytes: 7 });
  });
});
