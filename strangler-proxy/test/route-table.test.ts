import { buildRouteTable } from '../src/route-table';
import { normaliseTarget } from '../src/normalise-path';
import { routesConfig, routesDoc } from './support/routes';

const UPSTREAMS = {
  monolith: 'http://127.0.0.1:3000',
  catalog: 'http://127.0.0.1:4001',
  finance: 'http://127.0.0.1:4002',
  beta: 'http://127.0.0.1:4003',
};

function tableOf(routes: unknown[], extra: Record<string, unknown> = {}) {
  return buildRouteTable(routesConfig(routesDoc(UPSTREAMS, routes, extra)));
}

function decide(
  table: ReturnType<typeof tableOf>,
  method: string,
  raw: string,
  headers: Record<string, string> = {},
) {
  return table.decide(method, normaliseTarget(raw, table.config.caseSensitive).segments, headers);
}

describe('route table matching', () => {
  const table = tableOf([
    { name: 'catalog', match: { prefix: '/catalog' }, to: 'catalog' },
    {
      name: 'album-read',
      match: { path: '/catalog/albums/:id', methods: ['GET', 'HEAD'] },
      to: 'beta',
    },
    { name: 'finance', match: { prefix: '/finance' }, to: 'finance' },
    {
      name: 'beta-users',
      match: { prefix: '/finance', header: { name: 'x-beta', value: '1' } },
      to: 'beta',
    },
  ]);

  it('sends a prefix match to its upstream, on whole segments only', () => {
    expect(decide(table, 'GET', '/catalog').upstream).toBe('catalog');
    expect(decide(table, 'GET', '/catalog/artists').upstream).toBe('catalog');
    expect(decide(table, 'GET', '/catalogue').route.name).toBe('default');
  });

  it('captures params of an exact path and honours its methods', () => {
    const decision = decide(table, 'GET', '/catalog/albums/42');
    expect(decision.route.name).toBe('album-read');
    expect(decision.params).toEqual({ id: '42' });
    expect(decide(table, 'POST', '/catalog/albums/42').route.name).toBe('catalog');
    expect(decide(table, 'GET', '/catalog/albums/42/tracks').route.name).toBe('catalog');
  });

  it('prefers the route with a header condition when the header is present', () => {
    expect(decide(table, 'GET', '/finance/ledger', { 'x-beta': '1' }).route.name).toBe(
      'beta-users',
    );
    expect(decide(table, 'GET', '/finance/ledger', { 'x-beta': '0' }).route.name).toBe('finance');
  });

  it('falls through to the default route (the monolith)', () => {
    const decision = decide(table, 'DELETE', '/countries');
    expect(decision.route.name).toBe('default');
    expect(decision.upstream).toBe('monolith');
    expect(decision.reason).toMatch(/default route/);
  });

  it('matches case-insensitively by default, like Express, so /CATALOG cannot slip past the catalog route', () => {
    expect(decide(table, 'GET', '/CATALOG/Artists').route.name).toBe('catalog');
  });

  it('matches case-sensitively when the file asks for it', () => {
    const strict = tableOf([{ name: 'catalog', match: { prefix: '/catalog' }, to: 'catalog' }], {
      caseSensitive: true,
    });
    expect(decide(strict, 'GET', '/CATALOG').route.name).toBe('default');
  });

  it('routes a dot-segment path by where it really points', () => {
    expect(decide(table, 'GET', '/catalog/../finance/ledger').route.name).toBe('finance');
    expect(decide(table, 'GET', '/catalog/%2e%2e/finance').route.name).toBe('finance');
  });
});

describe('route precedence (most specific wins)', () => {
  it('more literal segments beat fewer, whatever the file order', () => {
    const table = tableOf([
      { name: 'broad', match: { prefix: '/catalog' }, to: 'catalog' },
      { name: 'narrow', match: { prefix: '/catalog/albums' }, to: 'beta' },
    ]);
    expect(decide(table, 'GET', '/catalog/albums/1').route.name).toBe('narrow');
  });

  it('a literal segment beats a param in the same position', () => {
    const table = tableOf([
      { name: 'by-id', match: { path: '/catalog/albums/:id' }, to: 'catalog' },
      { name: 'featured', match: { path: '/catalog/albums/featured' }, to: 'beta' },
    ]);
    expect(decide(table, 'GET', '/catalog/albums/featured').route.name).toBe('featured');
    expect(decide(table, 'GET', '/catalog/albums/7').route.name).toBe('by-id');
  });

  it('exact path beats a prefix of the same shape', () => {
    const table = tableOf([
      { name: 'prefix', match: { prefix: '/catalog/albums' }, to: 'catalog' },
      { name: 'exact', match: { path: '/catalog/albums' }, to: 'beta' },
    ]);
    expect(decide(table, 'GET', '/catalog/albums').route.name).toBe('exact');
    expect(decide(table, 'GET', '/catalog/albums/1').route.name).toBe('prefix');
  });

  it('a route with a methods condition beats the same pattern without one; then file order decides', () => {
    const table = tableOf([
      { name: 'any', match: { prefix: '/catalog' }, to: 'catalog' },
      { name: 'writes', match: { prefix: '/catalog', methods: ['POST'] }, to: 'beta' },
      { name: 'second', match: { prefix: '/catalog', header: { name: 'x-beta' } }, to: 'finance' },
    ]);
    expect(decide(table, 'POST', '/catalog/albums').route.name).toBe('writes');
    expect(decide(table, 'POST', '/catalog/albums', { 'x-beta': 'yes' }).route.name).toBe('writes');
    expect(decide(table, 'GET', '/catalog/albums', { 'x-beta': 'yes' }).route.name).toBe('second');
    expect(decide(table, 'GET', '/catalog/albums').route.name).toBe('any');
  });
});

describe('canary split', () => {
  const table = tableOf([
    {
      name: 'catalog',
      match: { prefix: '/catalog' },
      to: 'catalog',
      percent: 30,
      sticky: { header: 'x-customer-id' },
    },
    {
      name: 'artists',
      match: { prefix: '/artists' },
      to: 'catalog',
      percent: 30,
      sticky: { cookie: 'session' },
    },
    { name: 'off', match: { prefix: '/off' }, to: 'catalog', percent: 0 },
  ]);

  it('sends percent 0 to the monolith', () => {
    expect(decide(table, 'GET', '/off').upstream).toBe('monolith');
  });

  it('sends the same sticky key to the same side every time, across routes of one upstream', () => {
    for (let i = 0; i < 200; i++) {
      const key = `customer-${i}`;
      const first = decide(table, 'GET', '/catalog/a', { 'x-customer-id': key }).upstream;
      expect(decide(table, 'GET', '/catalog/b', { 'x-customer-id': key }).upstream).toBe(first);
      expect(
        decide(table, 'GET', '/artists', { cookie: `theme=dark; session=${key}` }).upstream,
      ).toBe(first);
    }
  });

  it('splits unkeyed traffic by a random draw', () => {
    const low = table.decide('GET', ['catalog'], {}, () => 0.1);
    const high = table.decide('GET', ['catalog'], {}, () => 0.9);
    expect([low.upstream, high.upstream]).toEqual(['catalog', 'monolith']);
    expect(low.reason).toMatch(/random draw/);
  });
});
