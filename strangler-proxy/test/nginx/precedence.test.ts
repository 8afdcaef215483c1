import type { IncomingHttpHeaders } from 'node:http';
import { normaliseTarget } from '../../src/normalise-path';
import { buildRouteTable } from '../../src/route-table';
import type { NginxDataPlane } from '../../src/nginx';
import { echo, startUpstream, type TestUpstream } from '../support/upstream';
import { describeWithNginx, loadRoutes, nginxFor } from './support';

// One upstream per route, so the upstream that answers names the route nginx picked.
const ROUTES = [
  { name: 'catalog', match: { prefix: '/catalog' } },
  { name: 'album', match: { path: '/catalog/albums/:id' } },
  { name: 'albums-write', match: { prefix: '/catalog/albums', methods: ['POST', 'PUT'] } },
  { name: 'albums', match: { prefix: '/catalog/albums' } },
  { name: 'albums-v2', match: { prefix: '/catalog/albums', methods: ['GET', 'HEAD'], version: 2 } },
  { name: 'beta', match: { prefix: '/catalog', header: { name: 'x-beta', value: 'yes' } } },
  { name: 'tenant-finance', match: { prefix: '/finance', header: { name: 'x-tenant' } } },
  { name: 'finance', match: { prefix: '/finance' } },
  { name: 'report', match: { path: '/finance/report' } },
  { name: 'tenant-orders', match: { prefix: '/:tenant/orders' } },
  { name: 'orders', match: { prefix: '/orders' } },
  { name: 'order-item', match: { path: '/orders/:id/items/:item' } },
  { name: 'health', match: { path: '/health' } },
];

type Sample = [method: string, path: string, headers?: Record<string, string>];

const SAMPLES: Sample[] = [
  ['GET', '/'],
  ['GET', '/health'],
  ['GET', '/health/'],
  ['GET', '/health/deep'],
  ['GET', '/catalog'],
  ['GET', '/catalog/'],
  ['GET', '/catalogue'],
  ['GET', '/CATALOG/Albums'],
  ['GET', '/catalog/albums'],
  ['GET', '/catalog/albums/7'],
  ['GET', '/catalog/albums/7/'],
  ['GET', '/catalog/albums/7/tracks'],
  ['POST', '/catalog/albums'],
  ['PUT', '/catalog/albums/7'],
  ['DELETE', '/catalog/albums/7'],
  ['DELETE', '/catalog/albums/7/tracks'],
  ['GET', '/catalog/albums', { 'accept-version': '2' }],
  ['GET', '/catalog/albums', { 'accept-version': 'v2.1' }],
  ['GET', '/catalog/albums', { 'accept-version': '002' }],
  ['GET', '/catalog/albums', { 'accept-version': '1' }],
  ['GET', '/catalog/albums', { 'accept-version': 'banana' }],
  ['HEAD', '/catalog/albums/9', { 'accept-version': '2' }],
  ['POST', '/catalog/albums', { 'accept-version': '2' }],
  ['GET', '/catalog/albums/7', { 'accept-version': '2' }],
  ['GET', '/catalog/artists', { 'x-beta': 'yes' }],
  ['GET', '/catalog/artists', { 'x-beta': 'no' }],
  ['GET', '/catalog/albums', { 'x-beta': 'yes' }],
  ['GET', '/finance'],
  ['GET', '/finance/report'],
  ['GET', '/finance/report', { 'x-tenant': 'acme' }],
  ['GET', '/finance/invoices', { 'x-tenant': 'acme' }],
  ['POST', '/finance/invoices'],
  ['GET', '/acme/orders'],
  ['GET', '/acme/orders/12'],
  ['GET', '/orders'],
  ['GET', '/orders/12'],
  ['GET', '/orders/12/items/3'],
  ['GET', '/orders/12/items'],
  ['GET', '/catalog/./albums/../albums/5'],
  ['GET', '//catalog//albums/5'],
  ['GET', '/catalog/albums/5?page=2'],
  ['OPTIONS', '/catalog/albums'],
  ['PATCH', '/orders/1'],
];

describeWithNginx('nginx data plane: route precedence', () => {
  const upstreams: Record<string, TestUpstream> = {};
  let nginx: NginxDataPlane;
  let table: ReturnType<typeof buildRouteTable>;

  beforeAll(async () => {
    for (const name of ['monolith', ...ROUTES.map((r) => `up-${r.name}`)])
      upstreams[name] = await startUpstream(echo(name));
    const routes = loadRoutes({
      version: 1,
      upstreams: Object.fromEntries(
        Object.entries(upstreams).map(([name, u]) => [name, { url: u.url, breaker: false }]),
      ),
      default: { to: 'monolith' },
      routes: ROUTES.map((r) => ({ ...r, to: `up-${r.name}` })),
    });
    table = buildRouteTable(routes);
    nginx = await nginxFor(routes);
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(Object.values(upstreams).map((u) => u.close()));
  });

  function nodeChoice([method, path, headers = {}]: Sample): string {
    const target = normaliseTarget(path, false);
    return table.decide(method, target.segments, headers as IncomingHttpHeaders).upstream;
  }

  async function nginxChoice([method, path, headers = {}]: Sample): Promise<string> {
    const reply = await fetch(`${nginx.url}${path}`, { method, headers });
    await reply.arrayBuffer();
    return reply.headers.get('x-upstream') ?? `status ${reply.status}`;
  }

  it('picks the same route as the Node route table for every sample request', async () => {
    const node: Record<string, string> = {};
    const viaNginx: Record<string, string> = {};
    for (const sample of SAMPLES) {
      const key = `${sample[0]} ${sample[1]} ${JSON.stringify(sample[2] ?? {})}`;
      node[key] = nodeChoice(sample);
      viaNginx[key] = await nginxChoice(sample);
    }
    expect(viaNginx).toEqual(node);
    // The samples reach every route and the default, so a table that ignored precedence would differ.
    expect(new Set(Object.values(node))).toEqual(new Set(Object.keys(upstreams)));
  });

  it('forwards the request target and sets the correlation ID and X-Forwarded-*', async () => {
    const reply = await fetch(`${nginx.url}/orders/12?x=1`, {
      headers: { 'x-correlation-id': 'kept-42' },
    });
    const seen = (await reply.json()) as { url: string; headers: Record<string, string> };
    expect(seen.url).toBe('/orders/12?x=1');
    expect(seen.headers['x-correlation-id']).toBe('kept-42');
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers.host).toBe(new URL(upstreams['up-orders'].url).host);
    expect(reply.headers.get('x-correlation-id')).toBe('kept-42');
    const unsafe = await fetch(`${nginx.url}/orders/12`, {
      headers: { 'x-correlation-id': 'bad id <x>' },
    });
    expect(unsafe.headers.get('x-correlation-id')).toMatch(/^[0-9a-f]{32}$/);
  });
});
