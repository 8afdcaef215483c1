import { jsonOf, rawRequest } from './support/raw-http';
import { deadPort, echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

describe('correlation IDs, logs, metrics and health', () => {
  let monolith: TestUpstream;
  let catalog: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream((req, res) =>
      req.url === '/health'
        ? res.writeHead(200).end('{"status":"ok"}')
        : echo('monolith')(req, res),
    );
    catalog = await startUpstream(echo('catalog'));
    proxy = await startTestProxy(
      routesDoc({ monolith: { url: monolith.url, healthPath: '/health' }, catalog: catalog.url }, [
        { name: 'catalog', match: { prefix: '/catalog' }, to: 'catalog' },
      ]),
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), catalog.close()]);
  });

  it('keeps a client correlation ID: sent upstream, returned, and on the log line', async () => {
    const response = await rawRequest(proxy.url, {
      path: '/catalog/albums',
      headers: { 'x-correlation-id': 'order-42.retry-1' },
    });
    expect(response.headers['x-correlation-id']).toBe('order-42.retry-1');
    expect(JSON.parse(response.body.toString()).headers['x-correlation-id']).toBe(
      'order-42.retry-1',
    );
    const line = proxy.logs.lines.find((l) => l.correlationId === 'order-42.retry-1');
    expect(line).toMatchObject({
      route: 'catalog',
      upstream: 'catalog',
      status: 200,
      method: 'GET',
      path: '/catalog/albums',
    });
    expect(typeof line?.durationMs).toBe('number');
  });

  it('generates a correlation ID when there is none (or it is unsafe) and uses the same one upstream', async () => {
    const response = await rawRequest(proxy.url, {
      path: '/catalog',
      headers: { 'x-correlation-id': 'bad id\twith tabs' },
    });
    const generated = response.headers['x-correlation-id'] as string;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(response.body.toString()).headers['x-correlation-id']).toBe(generated);
  });

  it('puts the correlation ID on proxy-made error responses too', async () => {
    const response = await rawRequest(proxy.url, {
      path: '/catalog%2f',
      headers: { 'x-correlation-id': 'bad-path-1' },
    });
    expect(response.status).toBe(400);
    expect(response.headers['x-correlation-id']).toBe('bad-path-1');
    expect(proxy.logs.lines.find((l) => l.correlationId === 'bad-path-1')).toMatchObject({
      status: 400,
      error: 'ERR_BAD_PATH',
    });
  });

  it('exposes Prometheus metrics per route, upstream and status class', async () => {
    await rawRequest(proxy.url, { path: '/countries' });
    const response = await fetch(`${proxy.adminUrl}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(
      /strangler_proxy_requests_total\{route="catalog",upstream="catalog",status_class="2xx"\} [1-9]/,
    );
    expect(text).toMatch(
      /strangler_proxy_requests_total\{route="default",upstream="monolith",status_class="2xx"\} [1-9]/,
    );
    expect(text).toMatch(
      /strangler_proxy_request_duration_seconds_bucket\{le="0\.1",route="catalog",upstream="catalog",status_class="2xx"\}/,
    );
    expect(text).toContain('strangler_proxy_breaker_state{upstream="catalog"} 0');
    expect(text).toContain('strangler_proxy_reloads_total{result="refused"} 0');
  });

  it('answers /healthz, and /readyz from the upstream health paths', async () => {
    expect((await fetch(`${proxy.adminUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${proxy.adminUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect((await jsonOf(ready)).upstreams.monolith).toMatchObject({ ok: true, status: 200 });
  });

  it('ignores upstreams that receive no traffic yet (a service not flipped to may be down)', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}`;
    const other = await startTestProxy(
      routesDoc(
        {
          monolith: { url: monolith.url, healthPath: '/health' },
          'not-yet': { url: dead, healthPath: '/health' },
        },
        [{ name: 'later', match: { prefix: '/later' }, to: 'not-yet', percent: 0 }],
      ),
      { inMemory: true },
    );
    try {
      const ready = await fetch(`${other.adminUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(Object.keys((await jsonOf(ready)).upstreams)).toEqual(['monolith']);
    } finally {
      await other.close();
    }
  });

  it('is not ready when an upstream health check fails', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}`;
    const other = await startTestProxy(
      routesDoc({ monolith: { url: dead, healthPath: '/health' } }),
      { inMemory: true },
    );
    try {
      const ready = await fetch(`${other.adminUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect((await jsonOf(ready)).upstreams.monolith.ok).toBe(false);
    } finally {
      await other.close();
    }
  });
});
