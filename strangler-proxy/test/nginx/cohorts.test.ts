import { normaliseTarget } from '../../src/normalise-path';
import { buildRouteTable } from '../../src/route-table';
import type { NginxDataPlane } from '../../src/nginx';
import { echo, startUpstream, type TestUpstream } from '../support/upstream';
import { describeWithNginx, loadRoutes, nginxFor } from './support';

const KEYS = Array.from({ length: 1000 }, (_, i) =>
  i % 2 === 0 ? `customer-${i}` : `${((i * 2654435761) % 4294967296).toString(16)}-${i}`,
);

describeWithNginx('nginx data plane: sticky canary cohorts', () => {
  let monolith: TestUpstream;
  let catalog: TestUpstream;
  let nginx: NginxDataPlane;
  let table: ReturnType<typeof buildRouteTable>;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    catalog = await startUpstream(echo('catalog-service'));
    const routes = loadRoutes({
      version: 1,
      upstreams: {
        monolith: { url: monolith.url, breaker: false },
        'catalog-service': { url: catalog.url, breaker: false },
      },
      default: { to: 'monolith' },
      routes: [
        {
          name: 'catalog',
          match: { prefix: '/catalog' },
          to: 'catalog-service',
          percent: 30,
          sticky: { header: 'x-customer-id' },
        },
        {
          name: 'basket',
          match: { prefix: '/basket' },
          to: 'catalog-service',
          percent: 12.5,
          sticky: { cookie: 'session_id' },
        },
      ],
    });
    table = buildRouteTable(routes);
    nginx = await nginxFor(routes);
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([monolith?.close(), catalog?.close()]);
  });

  async function sides(path: string, headersOf: (key: string) => Record<string, string>) {
    const segments = normaliseTarget(path, false).segments;
    const node: string[] = [];
    const viaNginx: string[] = [];
    for (const key of KEYS) {
      node.push(table.decide('GET', segments, headersOf(key)).upstream);
      const reply = await fetch(`${nginx.url}${path}`, { headers: headersOf(key) });
      await reply.arrayBuffer();
      viaNginx.push(reply.headers.get('x-upstream') ?? `status ${reply.status}`);
    }
    return { node, viaNginx };
  }

  it('puts each of 1000 customers on the same side as the Node proxy (header key, 30%)', async () => {
    const { node, viaNginx } = await sides('/catalog/albums', (key) => ({ 'x-customer-id': key }));
    const differing = KEYS.filter((_, i) => node[i] !== viaNginx[i]);
    expect(differing).toEqual([]);
    const share = node.filter((u) => u === 'catalog-service').length / KEYS.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });

  it('puts each of 1000 sessions on the same side as the Node proxy (cookie key, 12.5%)', async () => {
    const { node, viaNginx } = await sides('/basket', (key) => ({
      cookie: `theme=dark; session_id=${key}`,
    }));
    expect(KEYS.filter((_, i) => node[i] !== viaNginx[i])).toEqual([]);
    const share = node.filter((u) => u === 'catalog-service').length / KEYS.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.17);
  });

  it('draws at random when the request carries no key, as the Node proxy does', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const reply = await fetch(`${nginx.url}/catalog/albums`);
      await reply.arrayBuffer();
      seen.add(reply.headers.get('x-upstream') ?? '');
    }
    expect(seen).toEqual(new Set(['monolith', 'catalog-service']));
  });
});
