import type { RunningNginxProxy } from '../../src/nginx';
import { ADMIN_TOKEN } from '../support/routes';
import { echo, startUpstream, type TestUpstream } from '../support/upstream';
import {
  describeWithNginx,
  eventually,
  fetchFresh,
  type NginxProxyUnderTest,
  startNginxProxyOn,
} from './support';

describeWithNginx('proxy start --engine nginx: circuit breakers', () => {
  let monolith: TestUpstream;
  let catalog: TestUpstream;
  let catalogFails = true;
  let stack: NginxProxyUnderTest;
  let proxy: RunningNginxProxy;
  // Long enough that the open-state checks below finish before the half-open reload, even on a busy machine.
  const OPEN_MS = 4_000;
  const WAIT_MS = 15_000;

  const breakerState = async () => {
    const reply = await fetchFresh(`${proxy.adminUrl}/admin/status`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const status = (await reply.json()) as { breakers: Record<string, { state: string }> };
    return status.breakers['catalog-service'].state;
  };
  const send = async (method: string) => {
    const reply = await fetchFresh(`${proxy.url}/catalog/albums`, { method });
    return {
      status: reply.status,
      upstream: reply.headers.get('x-upstream'),
      body: await reply.text(),
    };
  };

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    const catalogEcho = echo('catalog-service');
    catalog = await startUpstream((req, res) => {
      if (!catalogFails) return catalogEcho(req, res);
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down"}');
    });
    // No --allow-drop: the control plane carries the breakers.
    stack = await startNginxProxyOn({
      version: 1,
      upstreams: {
        monolith: { url: monolith.url, breaker: false },
        'catalog-service': {
          url: catalog.url,
          breaker: { failureRate: 0.5, minRequests: 4, windowMs: 30_000, openMs: OPEN_MS },
        },
      },
      default: { to: 'monolith' },
      routes: [
        { name: 'catalog', match: { prefix: '/catalog' }, to: 'catalog-service', fallback: true },
      ],
    });
    proxy = stack.proxy;
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all([monolith?.close(), catalog?.close()]);
  });

  it('when an upstream keeps failing, then its breaker opens: GETs fall back without reaching it, a POST is answered 503; after openMs and a good answer it closes', async () => {
    for (let i = 0; i < 4; i++)
      expect(await send('GET')).toMatchObject({ status: 200, upstream: 'monolith' });
    expect(catalog.seen).toHaveLength(4);
    // nginx writes its access log at least every second; the control plane reads it every 250 ms.
    expect(await eventually(breakerState, (state) => state === 'open', WAIT_MS)).toBe('open');
    // The open config is installed by a reload after the breaker opens: wait until nginx answers by it.
    const refused = await eventually(
      () => send('POST'),
      (reply) => reply.status === 503 && reply.body.includes('ERR_UPSTREAM_UNAVAILABLE'),
      WAIT_MS,
    );
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.message).toContain(
      'circuit breaker for upstream "catalog-service" is open',
    );
    const reached = catalog.seen.length;
    expect(await send('GET')).toMatchObject({ status: 200, upstream: 'monolith' });
    expect(await send('HEAD')).toMatchObject({ status: 200, upstream: 'monolith' });
    expect(catalog.seen).toHaveLength(reached);

    catalogFails = false;
    const served = await eventually(
      () => send('GET'),
      (reply) => reply.upstream === 'catalog-service',
      WAIT_MS,
    );
    expect(served).toMatchObject({ status: 200, upstream: 'catalog-service' });
    expect(await eventually(breakerState, (state) => state === 'closed', WAIT_MS)).toBe('closed');
    expect(await send('POST')).toMatchObject({ status: 200, upstream: 'catalog-service' });
  }, 60_000);
});
