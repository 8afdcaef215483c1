import http from 'node:http';
import { rawRequest } from './support/raw-http';
import { deadPort, echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

const json = (response: { body: Buffer }) => JSON.parse(response.body.toString());

describe('resilience: timeouts, refused connections, fallback, retries', () => {
  let monolith: TestUpstream;
  let slow: TestUpstream;
  let failing: TestUpstream;
  let flaky: TestUpstream;
  let flakyFailuresLeft = 0;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    slow = await startUpstream(() => undefined); // accepts, never answers
    failing = await startUpstream((req, res) => {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
    });
    flaky = await startUpstream((req, res) => {
      req.resume();
      if (flakyFailuresLeft-- > 0) return void res.writeHead(503).end('busy');
      echo('flaky')(req, res);
    });
    const down = `http://127.0.0.1:${await deadPort()}`;
    const noBreaker = (url: string, extra: Record<string, unknown> = {}) => ({
      url,
      breaker: false,
      ...extra,
    });
    proxy = await startTestProxy(
      routesDoc(
        {
          monolith: monolith.url,
          down: noBreaker(down),
          slow: noBreaker(slow.url, { timeoutMs: 200 }),
          failing: noBreaker(failing.url),
          flaky: noBreaker(flaky.url),
        },
        [
          { name: 'down', match: { prefix: '/down' }, to: 'down' },
          { name: 'slow', match: { prefix: '/slow' }, to: 'slow' },
          { name: 'down-fallback', match: { prefix: '/fb/down' }, to: 'down', fallback: true },
          { name: 'slow-fallback', match: { prefix: '/fb/slow' }, to: 'slow', fallback: true },
          {
            name: 'failing-fallback',
            match: { prefix: '/fb/failing' },
            to: 'failing',
            fallback: true,
          },
          {
            name: 'post-fallback',
            match: { prefix: '/fb/post' },
            to: 'down',
            fallback: { methods: ['GET', 'POST'] },
          },
          {
            name: 'retry',
            match: { prefix: '/retry' },
            to: 'flaky',
            retry: { attempts: 2, backoffMs: 5, methods: ['GET', 'PUT'] },
          },
        ],
      ),
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith, slow, failing, flaky].map((u) => u.close()));
  });

  it('answers 502 when the upstream refuses the connection', async () => {
    const response = await rawRequest(proxy.url, { path: '/down/x' });
    expect(response.status).toBe(502);
    expect(json(response).error.code).toBe('ERR_UPSTREAM_REFUSED');
  });

  it('answers 504 when the upstream does not answer within its timeout', async () => {
    const response = await rawRequest(proxy.url, { path: '/slow/x' });
    expect(response.status).toBe(504);
    expect(json(response).error.code).toBe('ERR_UPSTREAM_TIMEOUT');
  });

  it('when the service is down, GET falls back to the monolith', async () => {
    const response = await rawRequest(proxy.url, { path: '/fb/down/albums' });
    expect(response.status).toBe(200);
    expect(json(response)).toMatchObject({ upstream: 'monolith', url: '/fb/down/albums' });
  });

  it('when the service is slow, GET falls back to the monolith', async () => {
    const response = await rawRequest(proxy.url, { path: '/fb/slow/albums' });
    expect(json(response).upstream).toBe('monolith');
  });

  it('when the service fails with a 5xx, HEAD and GET fall back to the monolith', async () => {
    expect(json(await rawRequest(proxy.url, { path: '/fb/failing/a' })).upstream).toBe('monolith');
    const head = await rawRequest(proxy.url, { method: 'HEAD', path: '/fb/failing/a' });
    expect(head.status).toBe(200);
  });

  it('does not fall back for methods the route does not allow (POST by default)', async () => {
    const response = await rawRequest(proxy.url, {
      method: 'POST',
      path: '/fb/failing/a',
      body: '',
    });
    expect(response.status).toBe(500);
  });

  it('never replays a request whose body was streamed upstream, even when fallback allows the method', async () => {
    const before = monolith.seen.length;
    const response = await rawRequest(proxy.url, {
      method: 'POST',
      path: '/fb/post/orders',
      body: '{"x":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(502);
    expect(monolith.seen.length).toBe(before);
  });

  it('retries an idempotent request with backoff until it succeeds', async () => {
    flakyFailuresLeft = 2;
    const before = flaky.seen.length;
    const response = await rawRequest(proxy.url, { path: '/retry/x' });
    expect(json(response).upstream).toBe('flaky');
    expect(flaky.seen.length - before).toBe(3);
  });

  it('gives up after the configured attempts and returns the last answer', async () => {
    flakyFailuresLeft = 10;
    const before = flaky.seen.length;
    const response = await rawRequest(proxy.url, { path: '/retry/x' });
    expect(response.status).toBe(503);
    expect(flaky.seen.length - before).toBe(3);
    flakyFailuresLeft = 0;
  });

  it('never retries a non-idempotent request', async () => {
    flakyFailuresLeft = 1;
    const before = flaky.seen.length;
    const response = await rawRequest(proxy.url, { method: 'POST', path: '/retry/x' });
    expect(response.status).toBe(503);
    expect(flaky.seen.length - before).toBe(1);
    flakyFailuresLeft = 0;
  });

  it('never retries a PUT that carries a body', async () => {
    flakyFailuresLeft = 1;
    const before = flaky.seen.length;
    const response = await rawRequest(proxy.url, {
      method: 'PUT',
      path: '/retry/x',
      body: 'payload',
    });
    expect(response.status).toBe(503);
    expect(flaky.seen.length - before).toBe(1);
    flakyFailuresLeft = 0;
  });

  it('counts retries and fallbacks in /metrics', async () => {
    const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/strangler_proxy_retries_total\{upstream="flaky"\} [1-9]/);
    expect(metrics).toMatch(/strangler_proxy_fallbacks_total\{route="down-fallback"\} [1-9]/);
  });
});

describe('an upstream that dies in the middle of a response', () => {
  let upstream: TestUpstream;
  let monolith: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    upstream = await startUpstream((req, res) => {
      req.resume();
      const declared = req.url?.includes('length');
      res.writeHead(200, declared ? { 'content-length': '100000' } : {});
      res.write('x'.repeat(1000));
      setTimeout(() => res.socket?.destroy(), 30);
    });
    proxy = await startTestProxy(
      routesDoc({ monolith: monolith.url, dying: { url: upstream.url, breaker: false } }, [
        { name: 'dying', match: { prefix: '/dying' }, to: 'dying' },
      ]),
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([upstream.close(), monolith.close()]);
  });

  it.each(['/dying/length', '/dying/chunked'])(
    'cuts the client connection at once for %s: never a short body that looks complete',
    async (path) => {
      const outcome = await new Promise<string>((resolve) => {
        const url = new URL(proxy.url);
        const req = http.get({ host: url.hostname, port: url.port, path, agent: false }, (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve(res.complete ? 'complete' : 'incomplete'));
          res.on('error', () => resolve('error'));
          res.on('aborted', () => resolve('aborted'));
        });
        req.on('error', () => resolve('error'));
      });
      expect(outcome).not.toBe('complete');
    },
  );
});

describe('a client that leaves early', () => {
  it('does not disturb the proxy when it disconnects while the upstream is still answering', async () => {
    let arrived!: () => void;
    const upstreamHasIt = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const monolith = await startUpstream((req, res) => {
      req.resume();
      arrived();
      setTimeout(() => res.writeHead(200).end('late'), 150);
    });
    const proxy = await startTestProxy(routesDoc({ monolith: monolith.url }), { inMemory: true });
    try {
      const url = new URL(proxy.url);
      // The client leaves once the upstream is answering (not on a timer, which a loaded machine outruns).
      const req = http.get({ host: url.hostname, port: url.port, path: '/slow', agent: false });
      req.on('error', () => undefined);
      await upstreamHasIt;
      req.destroy();
      const after = await rawRequest(proxy.url, { path: '/still-alive' });
      expect(after.status).toBe(200);
      for (let i = 0; i < 100 && !proxy.logs.lines.some((l) => l.status === 499); i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(proxy.logs.lines.some((l) => l.status === 499)).toBe(true);
    } finally {
      await proxy.close();
      await monolith.close();
    }
  });
});
