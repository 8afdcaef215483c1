import { jsonOf, rawRequest } from './support/raw-http';
import { echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

describe('circuit breaker per upstream, end to end', () => {
  // The proxy's clock: the tests move it past openMs instead of sleeping.
  let clock = 1_000_000;
  let monolith: TestUpstream;
  let service: TestUpstream;
  let healthy = false;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    service = await startUpstream((req, res) => {
      if (healthy) return echo('service')(req, res);
      req.resume();
      res.writeHead(500).end('down');
    });
    proxy = await startTestProxy(
      routesDoc(
        {
          monolith: monolith.url,
          service: {
            url: service.url,
            breaker: {
              failureRate: 0.5,
              minRequests: 4,
              windowMs: 5_000,
              openMs: 300,
              halfOpenRequests: 1,
            },
          },
        },
        [
          { name: 'plain', match: { prefix: '/plain' }, to: 'service' },
          { name: 'guarded', match: { prefix: '/guarded' }, to: 'service', fallback: true },
        ],
      ),
      { now: () => clock },
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), service.close()]);
  });

  async function breakerState(): Promise<string> {
    const status = await jsonOf(proxy.admin('/admin/status'));
    return status.breakers.service.state;
  }

  it('opens after enough failures, then stops sending traffic to the upstream', async () => {
    for (let i = 0; i < 4; i++)
      expect((await rawRequest(proxy.url, { path: '/plain' })).status).toBe(500);
    expect(await breakerState()).toBe('open');
    const before = service.seen.length;
    const refused = await rawRequest(proxy.url, { path: '/plain' });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body.toString()).error.code).toBe('ERR_UPSTREAM_UNAVAILABLE');
    expect(service.seen.length).toBe(before);
  });

  it('while open, a route with fallback is answered by the monolith', async () => {
    const response = await rawRequest(proxy.url, { path: '/guarded/x' });
    expect(JSON.parse(response.body.toString()).upstream).toBe('monolith');
  });

  it('shows the state in /metrics (2 = open)', async () => {
    const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
    expect(metrics).toContain('strangler_proxy_breaker_state{upstream="service"} 2');
  });

  it('half-opens after openMs; a failed probe opens it again', async () => {
    clock += 350;
    expect(await breakerState()).toBe('half-open');
    const before = service.seen.length;
    expect((await rawRequest(proxy.url, { path: '/plain' })).status).toBe(500);
    expect(service.seen.length).toBe(before + 1);
    expect(await breakerState()).toBe('open');
  });

  it('closes again when a half-open probe succeeds', async () => {
    healthy = true;
    clock += 350;
    const response = await rawRequest(proxy.url, { path: '/plain' });
    expect(JSON.parse(response.body.toString()).upstream).toBe('service');
    expect(await breakerState()).toBe('closed');
    const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
    expect(metrics).toContain('strangler_proxy_breaker_state{upstream="service"} 0');
  });
});
