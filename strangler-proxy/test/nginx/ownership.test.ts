import { normaliseTarget } from '../../src/normalise-path';
import { buildRouteTable } from '../../src/route-table';
import type { RunningNginxProxy } from '../../src/nginx';
import { ADMIN_TOKEN } from '../support/routes';
import { echo, startUpstream, type TestUpstream } from '../support/upstream';
import {
  describeWithNginx,
  loadRoutes,
  eventually,
  fetchFresh,
  type NginxProxyUnderTest,
  startNginxProxyOn,
} from './support';

/**
 * Probes until `ok`. A reload makes nginx's old workers close idle keep-alive connections,
 * so a probe sent on one as it closes fails ("other side closed"): that is a retry, not an answer.
 */

describeWithNginx('nginx data plane: data ownership and write holds', () => {
  let monolith: TestUpstream;
  let catalog: TestUpstream;
  let stack: NginxProxyUnderTest;
  let proxy: RunningNginxProxy;
  let doc: Record<string, unknown>;

  const admin = (method: string, p: string, body: unknown = {}) =>
    fetchFresh(`${proxy.adminUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const send = async (method: string, p: string, headers: Record<string, string> = {}) => {
    const reply = await fetchFresh(`${proxy.url}${p}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(method === 'GET' ? {} : { body: '{"title":"x"}' }),
    });
    const text = await reply.text();
    return {
      status: reply.status,
      upstream: reply.headers.get('x-upstream'),
      retryAfter: reply.headers.get('retry-after'),
      text,
    };
  };

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    catalog = await startUpstream(echo('catalog-service'));
    doc = {
      version: 1,
      upstreams: {
        monolith: { url: monolith.url, breaker: false },
        'catalog-service': { url: catalog.url, breaker: false },
      },
      default: { to: 'monolith' },
      dataSets: { catalog: { owner: 'monolith' } },
      routes: [
        {
          name: 'catalog-read',
          match: { prefix: '/catalog', methods: ['GET', 'HEAD'] },
          to: 'catalog-service',
          percent: 50,
          sticky: { header: 'x-customer-id' },
        },
        { name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith', writes: 'catalog' },
      ],
    };
    stack = await startNginxProxyOn(doc);
    proxy = stack.proxy;
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all([monolith?.close(), catalog?.close()]);
  });

  it('canaries the reads like the Node table and sends every write to the owner', async () => {
    const table = buildRouteTable(loadRoutes(doc));
    const segments = normaliseTarget('/catalog/albums', false).segments;
    const reads = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const headers = { 'x-customer-id': `customer-${i}` };
      const read = await send('GET', '/catalog/albums', headers);
      expect(read.upstream).toBe(table.decide('GET', segments, headers).upstream);
      reads.add(read.upstream ?? '');
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
        expect((await send(method, '/catalog/albums', headers)).upstream).toBe('monolith');
    }
    expect(reads).toEqual(new Set(['monolith', 'catalog-service']));
  });

  it("answers the held set's writes 503 with Retry-After during a hold, reads still flow, and hands over", async () => {
    const hold = await admin('POST', '/admin/data-sets/catalog/hold', { maxMs: 20_000 });
    expect(hold.status).toBe(200);
    const { holdId } = (await hold.json()) as { holdId: string };
    const refused = await eventually(
      () => send('POST', '/catalog/albums'),
      (r) => r.status === 503,
    );
    expect(refused.status).toBe(503);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(20);
    expect(JSON.parse(refused.text).error.code).toBe('ERR_WRITES_HELD');
    const posts = () => monolith.seen.filter((r) => r.method === 'POST').length;
    const before = posts();
    expect((await send('POST', '/catalog/albums')).status).toBe(503);
    expect(posts()).toBe(before); // not forwarded to anyone
    expect((await send('GET', '/catalog/albums', { 'x-customer-id': 'c1' })).status).toBe(200);

    const owner = await admin('PUT', '/admin/data-sets/catalog/owner', {
      owner: 'catalog-service',
      holdId,
    });
    expect(owner.status).toBe(200);
    expect((await admin('DELETE', '/admin/data-sets/catalog/hold', { holdId })).status).toBe(200);
    const after = await eventually(
      () => send('POST', '/catalog/albums'),
      (r) => r.status === 200,
    );
    expect(after.upstream).toBe('catalog-service');
  });
});
