import { parseRoutesText } from '../src/config';
import type { ProxyError } from '../src/errors';
import { buildRouteTable } from '../src/route-table';
import { startTestProxy, type TestProxy } from './support/harness';
import { routesConfig, routesDoc } from './support/routes';
import { echo, startUpstream, type TestUpstream } from './support/upstream';

const SUNSET = '2027-06-30';
const versionRoutes = [
  { name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith' },
  { name: 'catalog-v2', match: { prefix: '/v2/catalog' }, to: 'catalog-service' },
  { name: 'albums-v2', match: { prefix: '/catalog/albums', version: 2 }, to: 'catalog-service' },
];

describe('routing by API version', () => {
  const table = buildRouteTable(
    routesConfig(routesDoc({ monolith: 'http://a', 'catalog-service': 'http://b' }, versionRoutes)),
  );
  const where = (path: string, headers: Record<string, string> = {}) =>
    table.decide('GET', path.split('/').filter(Boolean), headers).upstream;

  it('sends /v2/… by path prefix to the service that has v2', () => {
    expect(where('/v2/catalog/albums')).toBe('catalog-service');
  });

  it('sends a v1 URL asking for v2 in Accept-Version there too ("2", "v2", "2.1")', () => {
    for (const asked of ['2', 'v2', '2.1'])
      expect(where('/catalog/albums/7', { 'accept-version': asked })).toBe('catalog-service');
  });

  it('keeps callers without the header, or asking for 1, on v1', () => {
    expect(where('/catalog/albums/7')).toBe('monolith');
    expect(where('/catalog/albums/7', { 'accept-version': '1' })).toBe('monolith');
    expect(where('/catalog/artists', { 'accept-version': '2' })).toBe('monolith');
  });

  it('reads the header the routes file names', () => {
    const custom = buildRouteTable(
      routesConfig(
        routesDoc({ monolith: 'http://a', 'catalog-service': 'http://b' }, versionRoutes, {
          versionHeader: 'x-api-version',
        }),
      ),
    );
    const segments = ['catalog', 'albums'];
    expect(custom.decide('GET', segments, { 'x-api-version': '2' }).upstream).toBe(
      'catalog-service',
    );
    expect(custom.decide('GET', segments, { 'accept-version': '2' }).upstream).toBe('monolith');
  });
});

describe('deprecations in the routes file', () => {
  const file = '/tmp/x/routes.yaml';
  const errorOf = (text: string) => {
    try {
      parseRoutesText(text, file);
    } catch (error) {
      return error as ProxyError;
    }
    throw new Error('expected the routes file to be refused');
  };
  const base = `version: 1\nupstreams: { monolith: { url: "http://127.0.0.1:3000" } }\ndefault: { to: monolith }\n`;

  it('refuses a sunset that is not a date, naming the field and the expected form', () => {
    const error = errorOf(
      `${base}deprecations:\n  - { match: { prefix: /catalog/albums }, sunset: next-june }\n`,
    );
    expect(error.message).toContain('deprecations');
    expect(error.message).toContain('sunset');
    expect(error.message).toContain('2027-06-30');
  });

  it('refuses since after sunset', () => {
    const error = errorOf(
      `${base}deprecations:\n  - { match: { prefix: /catalog/albums }, sunset: "2027-01-01", since: "2027-02-01" }\n`,
    );
    expect(error.message).toContain('since must not be after sunset');
  });
});

describe('the proxy tells v1 callers once a sunset is set', () => {
  let monolith: TestUpstream;
  let service: TestUpstream;
  let proxy: TestProxy;
  const deprecation = {
    match: { prefix: '/catalog/albums' },
    sunset: SUNSET,
    since: '2026-12-01',
    link: 'https://musiccorp.example/docs/catalog-v2',
  };

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    service = await startUpstream(echo('catalog-service'));
    proxy = await startTestProxy(
      routesDoc({ monolith: monolith.url, 'catalog-service': service.url }, versionRoutes, {
        deprecations: [deprecation],
      }),
    );
  });
  afterAll(async () => {
    await proxy?.close();
    await Promise.all([monolith?.close(), service?.close()]);
  });

  it('answers a v1 caller with Deprecation, Sunset and Link, whichever upstream answers', async () => {
    const res = await fetch(`${proxy.url}/catalog/albums/1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-upstream')).toBe('monolith');
    expect(res.headers.get('deprecation')).toBe(`@${Date.parse('2026-12-01') / 1000}`);
    expect(res.headers.get('sunset')).toBe('Wed, 30 Jun 2027 00:00:00 GMT');
    expect(res.headers.get('link')).toBe(
      '<https://musiccorp.example/docs/catalog-v2>; rel="deprecation"',
    );
  });

  it('does not tell v2 callers (by path or by header) or callers of resources without a v2', async () => {
    for (const [path, headers] of [
      ['/v2/catalog/albums/1', {}],
      ['/catalog/albums/1', { 'accept-version': '2' }],
      ['/catalog/artists/1', {}],
    ] as const) {
      const res = await fetch(`${proxy.url}${path}`, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('deprecation')).toBeNull();
      expect(res.headers.get('sunset')).toBeNull();
    }
  });

  it('says nothing before a sunset date is set', async () => {
    const quiet = await startTestProxy(
      routesDoc({ monolith: monolith.url, 'catalog-service': service.url }, versionRoutes),
    );
    try {
      const res = await fetch(`${quiet.url}/catalog/albums/1`);
      expect(res.headers.get('deprecation')).toBeNull();
    } finally {
      await quiet.close();
    }
  });
});
