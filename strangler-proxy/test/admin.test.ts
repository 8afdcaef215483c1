import fs from 'node:fs';
import { createProxy } from '../src/create-proxy';
import { ProxyError } from '../src/errors';
import { jsonOf, rawRequest } from './support/raw-http';
import { echo, startUpstream, type TestUpstream } from './support/upstream';
import { ADMIN_TOKEN, routesConfig, routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';
import { MALFORMED } from './support/malformed-routes';

// The catalog route's `to` (indented under the routes list, unlike default.to).
const ROUTE_TO_MONOLITH = /(\n {4}to: )monolith/;
const upstreamOf = async (proxy: TestProxy, path: string) =>
  JSON.parse((await rawRequest(proxy.url, { path })).body.toString()).upstream;

describe('admin API', () => {
  let monolith: TestUpstream;
  let catalog: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    catalog = await startUpstream(echo('catalog'));
  });

  beforeEach(async () => {
    proxy = await startTestProxy(
      routesDoc({ monolith: monolith.url, catalog: catalog.url }, [
        { name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith' },
      ]),
    );
    fs.writeFileSync(proxy.file!, `# the migration plan\n${fs.readFileSync(proxy.file!, 'utf8')}`);
    proxy.proxy.store.reload('test setup');
  });

  afterEach(() => proxy.close());
  afterAll(async () => Promise.all([monolith.close(), catalog.close()]));

  it('answers 401 without a token and 403 with a wrong one, and audits the refusal', async () => {
    const missing = await fetch(`${proxy.adminUrl}/admin/routes`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(`${proxy.adminUrl}/admin/routes`, {
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status).toBe(403);
    expect((await jsonOf(wrong)).error.code).toBe('ERR_ADMIN_FORBIDDEN');
    expect(
      proxy.logs.lines.filter((l) => l.audit && l.msg === 'admin request denied'),
    ).toHaveLength(2);
  });

  it('lists routes in precedence order', async () => {
    const body = await jsonOf(proxy.admin('/admin/routes'));
    expect(body.routes.map((r: { name: string; to: string }) => `${r.name}->${r.to}`)).toEqual([
      'catalog->monolith',
      'default->monolith',
    ]);
  });

  it('flips a route: traffic moves, the file is rewritten (comments kept) and the change is audited', async () => {
    expect(await upstreamOf(proxy, '/catalog/albums')).toBe('monolith');
    const response = await proxy.admin('/admin/routes/catalog', {
      method: 'PATCH',
      body: JSON.stringify({ to: 'catalog', percent: 100 }),
    });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({
      before: { to: 'monolith' },
      after: { to: 'catalog', percent: 100 },
    });
    expect(await upstreamOf(proxy, '/catalog/albums')).toBe('catalog');
    const text = fs.readFileSync(proxy.file!, 'utf8');
    expect(text).toContain('# the migration plan');
    expect(text).toMatch(/to: catalog\n/);
    expect(proxy.logs.lines.find((l) => l.audit && l.route === 'catalog')).toMatchObject({
      before: { to: 'monolith' },
      after: { to: 'catalog' },
    });
    const leftovers = fs
      .readdirSync(require('node:path').dirname(proxy.file!))
      .filter((f: string) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('refuses a change to an unknown upstream with 422 and leaves the file alone', async () => {
    const before = fs.readFileSync(proxy.file!, 'utf8');
    const response = await proxy.admin('/admin/routes/catalog', {
      method: 'PATCH',
      body: JSON.stringify({ to: 'catalg' }),
    });
    expect(response.status).toBe(422);
    expect((await jsonOf(response)).error.message).toMatch(
      /route "catalog": field "to": upstream "catalg" is not defined \(known: monolith, catalog\)/,
    );
    expect(fs.readFileSync(proxy.file!, 'utf8')).toBe(before);
  });

  it('answers 404 for an unknown route and 400 for a bad body', async () => {
    expect(
      (await proxy.admin('/admin/routes/nope', { method: 'PATCH', body: '{"to":"catalog"}' }))
        .status,
    ).toBe(404);
    expect(
      (await proxy.admin('/admin/routes/catalog', { method: 'PATCH', body: '{"percent":"ten"}' }))
        .status,
    ).toBe(400);
    expect(
      (await proxy.admin('/admin/routes/catalog', { method: 'PATCH', body: 'not json' })).status,
    ).toBe(400);
  });

  it('reloads on an admin call; a bad file is refused, reported, and the old table keeps serving', async () => {
    fs.writeFileSync(
      proxy.file!,
      fs.readFileSync(proxy.file!, 'utf8').replace(ROUTE_TO_MONOLITH, '$1catalog'),
    );
    expect((await proxy.admin('/admin/reload', { method: 'POST' })).status).toBe(200);
    expect(await upstreamOf(proxy, '/catalog/x')).toBe('catalog');
    fs.writeFileSync(proxy.file!, 'version: 1\nupstreams: {}\n');
    const refused = await proxy.admin('/admin/reload', { method: 'POST' });
    expect(refused.status).toBe(422);
    expect((await jsonOf(refused)).error.message).toMatch(/upstreams/);
    expect(await upstreamOf(proxy, '/catalog/x')).toBe('catalog');
    const status = await jsonOf(proxy.admin('/admin/status'));
    expect(status.lastReload).toMatchObject({ ok: false, error: { code: 'ERR_ROUTES_INVALID' } });
    const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/strangler_proxy_reloads_total\{result="refused"\} 1/);
  });

  it(`refuses each of the ${MALFORMED.length} malformed files while the old table serves`, async () => {
    const good = fs.readFileSync(proxy.file!, 'utf8').replace(ROUTE_TO_MONOLITH, '$1catalog');
    fs.writeFileSync(proxy.file!, good);
    proxy.proxy.store.reload('good');
    for (const malformed of MALFORMED) {
      fs.writeFileSync(proxy.file!, malformed.text);
      const report = proxy.proxy.store.reload('catalogue');
      expect(report.ok).toBe(false);
      for (const pattern of malformed.expect) expect(report.error?.message).toMatch(pattern);
      expect(await upstreamOf(proxy, '/catalog/x')).toBe('catalog');
    }
  });

  it('reloads when the file changes on disk', async () => {
    proxy.proxy.store.watch(10);
    const next = fs.readFileSync(proxy.file!, 'utf8').replace(ROUTE_TO_MONOLITH, '$1catalog');
    fs.writeFileSync(proxy.file!, next);
    for (let i = 0; i < 100 && (await upstreamOf(proxy, '/catalog/x')) !== 'catalog'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await upstreamOf(proxy, '/catalog/x')).toBe('catalog');
  });
});

describe('admin API safety at start-up', () => {
  const routes = routesConfig(routesDoc({ monolith: 'http://127.0.0.1:9' }));

  it('refuses to start without a token unless the admin API is explicitly disabled', () => {
    expect(() => createProxy({ routes })).toThrow(ProxyError);
    expect(() => createProxy({ routes })).toThrow(/STRANGLER_ADMIN_TOKEN/);
    expect(() => createProxy({ routes, adminToken: 'short' })).toThrow(/too short/);
    expect(() => createProxy({ routes, adminDisabled: true })).not.toThrow();
  });

  it('with the admin API disabled, /admin/* is 404 but health and metrics stay up', async () => {
    const running = await createProxy({ routes, adminDisabled: true }).listen();
    try {
      expect(
        (
          await fetch(`${running.adminUrl}/admin/routes`, {
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          })
        ).status,
      ).toBe(404);
      expect((await fetch(`${running.adminUrl}/healthz`)).status).toBe(200);
      expect(new URL(running.adminUrl).hostname).toBe('127.0.0.1');
    } finally {
      await running.close();
    }
  });
});
