import type { IncomingHttpHeaders } from 'node:http';
import { deprecationHeaders } from '../../src/deprecations';
import { type NginxDataPlane, renderNginxConfig } from '../../src/nginx';
import { normaliseTarget } from '../../src/normalise-path';
import { buildRouteTable } from '../../src/route-table';
import { echo, startUpstream, type TestUpstream } from '../support/upstream';
import { describeWithNginx, loadRoutes, nginxFor } from './support';

const DEPRECATIONS = [
  {
    match: { prefix: '/catalog/albums', methods: ['GET', 'HEAD'] },
    sunset: '2027-06-30',
    link: 'https://example.com/docs/catalog-v2',
  },
  { match: { path: '/orders/:id' }, sunset: '2027-01-01', since: '2026-01-15' },
  { match: { prefix: '/catalog' }, version: 2, sunset: '2028-01-01' },
];

type Sample = [method: string, path: string, headers?: Record<string, string>];

const SAMPLES: Sample[] = [
  ['GET', '/catalog/albums'],
  ['HEAD', '/catalog/albums/7'],
  ['GET', '/CATALOG/Albums/7'],
  ['POST', '/catalog/albums'],
  ['GET', '/catalog/albums', { 'accept-version': '1.2' }],
  ['GET', '/catalog/albums', { 'accept-version': '2' }],
  ['POST', '/catalog/albums', { 'accept-version': 'v2' }],
  ['GET', '/catalog/albums', { 'accept-version': 'banana' }],
  ['GET', '/catalog/artists'],
  ['GET', '/orders/12'],
  ['GET', '/orders/12/'],
  ['GET', '/orders/12/items'],
  ['DELETE', '/orders/12'],
  ['GET', '/finance'],
];

const routes = (url: string) =>
  loadRoutes({
    version: 1,
    upstreams: { monolith: { url, breaker: false } },
    default: { to: 'monolith' },
    deprecations: DEPRECATIONS,
  });

describe('nginx config: deprecations', () => {
  it('when the routes file has deprecations, then the export carries them (no --allow-drop) and dates one without since by the day it was generated', () => {
    const now = Date.parse('2026-11-28T15:00:00Z');
    const { text, dropped } = renderNginxConfig(routes('http://127.0.0.1:3000'), {
      listen: { host: '127.0.0.1', port: 8080 },
      source: 'routes.yaml',
      now,
    });
    expect(dropped).toEqual([]);
    expect(text).toContain(`1 "@${Date.parse('2026-11-28T00:00:00Z') / 1000}";`);
    expect(text).toContain(`2 "@${Date.parse('2026-01-15T00:00:00Z') / 1000}";`);
    expect(text).toContain('add_header Sunset $strangler_deprecation_sunset always;');
  });
});

describeWithNginx('nginx data plane: deprecations', () => {
  let monolith: TestUpstream;
  let nginx: NginxDataPlane;
  let table: ReturnType<typeof buildRouteTable>;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    const config = routes(monolith.url);
    table = buildRouteTable(config);
    nginx = await nginxFor(config);
  });

  afterAll(async () => {
    await nginx?.stop();
    await monolith?.close();
  });

  const nodeHeaders = ([method, path, headers = {}]: Sample) => {
    const found = table.deprecationFor(
      method,
      normaliseTarget(path, false).segments,
      headers as IncomingHttpHeaders,
    );
    return found ? Object.fromEntries(deprecationHeaders(found)) : {};
  };
  const nginxHeaders = async ([method, path, headers = {}]: Sample) => {
    const reply = await fetch(`${nginx.url}${path}`, { method, headers });
    await reply.arrayBuffer();
    const out: Record<string, string> = {};
    for (const name of ['Deprecation', 'Sunset', 'Link']) {
      const value = reply.headers.get(name);
      if (value !== null) out[name] = value;
    }
    return out;
  };

  it('when a request is covered by a deprecation, then nginx answers the same Deprecation, Sunset and Link headers as the Node proxy, and none otherwise', async () => {
    const node: Record<string, Record<string, string>> = {};
    const viaNginx: Record<string, Record<string, string>> = {};
    for (const sample of SAMPLES) {
      const key = `${sample[0]} ${sample[1]} ${JSON.stringify(sample[2] ?? {})}`;
      node[key] = nodeHeaders(sample);
      viaNginx[key] = await nginxHeaders(sample);
    }
    expect(viaNginx).toEqual(node);
    // The samples reach all three deprecations and requests none covers.
    const sunsets = new Set(Object.values(node).map((headers) => headers.Sunset));
    expect(sunsets.size).toBe(4);
  });
});
