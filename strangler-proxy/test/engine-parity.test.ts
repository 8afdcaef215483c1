import { ENGINES } from '../src/forwarder';
import { rawRequest } from './support/raw-http';
import { deadPort, echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

// The benchmark baseline engine must behave like the default one, or the comparison means nothing.
describe.each(ENGINES)('the %s engine behind createProxy', (engine) => {
  let monolith: TestUpstream;
  let service: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    service = await startUpstream((req, res) => {
      if (req.url?.startsWith('/svc/fail'))
        return void req.resume().on('end', () => res.writeHead(500).end('boom'));
      if (req.url?.startsWith('/svc/cookies'))
        return void req
          .resume()
          .on('end', () =>
            res
              .writeHead(200, { 'set-cookie': ['a=1', 'b=2'], connection: 'x-hop', 'x-hop': '1' })
              .end('ok'),
          );
      if (req.url?.startsWith('/svc/upload')) {
        let size = 0;
        req.on('data', (c: Buffer) => (size += c.length));
        return void req.on('end', () => res.writeHead(201).end(String(size)));
      }
      if (req.url?.startsWith('/svc/cut')) {
        res.writeHead(200, { 'content-length': '5000' });
        res.write('partial');
        return void setTimeout(() => res.socket?.destroy(), 20);
      }
      echo('service')(req, res);
    });
    const down = `http://127.0.0.1:${await deadPort()}`;
    proxy = await startTestProxy(
      routesDoc(
        {
          monolith: monolith.url,
          service: { url: service.url, breaker: false },
          down: { url: down, breaker: false },
        },
        [
          { name: 'svc', match: { prefix: '/svc' }, to: 'service', fallback: true },
          { name: 'down', match: { prefix: '/down' }, to: 'down', fallback: true },
        ],
      ),
      { inMemory: true, engine },
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), service.close()]);
  });

  it('routes, rewrites headers and keeps Set-Cookie', async () => {
    const routed = JSON.parse(
      (
        await rawRequest(proxy.url, {
          path: '/svc/../svc/x?y=1',
          headers: { 'x-correlation-id': `parity-${engine}` },
        })
      ).body.toString(),
    );
    expect(routed).toMatchObject({ upstream: 'service', url: '/svc/x?y=1' });
    expect(routed.headers['x-correlation-id']).toBe(`parity-${engine}`);
    const cookies = await rawRequest(proxy.url, { path: '/svc/cookies' });
    expect(cookies.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(cookies.headers['x-hop']).toBeUndefined();
  });

  it('streams a request body upstream', async () => {
    const response = await rawRequest(proxy.url, {
      method: 'POST',
      path: '/svc/upload',
      body: Buffer.alloc(300_000, 1),
    });
    expect(response.status).toBe(201);
    expect(response.body.toString()).toBe('300000');
  });

  it('falls back to the monolith on a 5xx and on a refused connection', async () => {
    expect(
      JSON.parse((await rawRequest(proxy.url, { path: '/svc/fail' })).body.toString()).upstream,
    ).toBe('monolith');
    expect(
      JSON.parse((await rawRequest(proxy.url, { path: '/down/x' })).body.toString()).upstream,
    ).toBe('monolith');
    const post = await rawRequest(proxy.url, { method: 'POST', path: '/down/x' });
    expect(post.status).toBe(502);
  });

  it('never delivers a cut body as complete', async () => {
    const outcome = await rawRequest(proxy.url, { path: '/svc/cut' }).then(
      (r) => `complete ${r.body.length}`,
      () => 'error',
    );
    expect(outcome).toBe('error');
  });
});
