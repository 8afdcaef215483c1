import type { NginxDataPlane } from '../../src/nginx';
import { deadPort, echo, startUpstream, type TestUpstream } from '../support/upstream';
import { describeWithNginx, loadRoutes, nginxFor } from './support';

describeWithNginx('nginx data plane: retries and fallback', () => {
  let monolith: TestUpstream;
  let flaky: TestUpstream;
  let nginx: NginxDataPlane;
  let failuresLeft = 0;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    flaky = await startUpstream((req, res) => {
      req.resume();
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503, { 'x-upstream': 'flaky' }).end('busy');
        return;
      }
      echo('flaky')(req, res);
    });
    const dead = `http://127.0.0.1:${await deadPort()}`;
    const routes = loadRoutes({
      version: 1,
      upstreams: {
        monolith: { url: monolith.url, breaker: false },
        flaky: { url: flaky.url, breaker: false },
        gone: { url: dead, breaker: false },
      },
      default: { to: 'monolith' },
      routes: [
        { name: 'retried', match: { prefix: '/retried' }, to: 'flaky', retry: { attempts: 2 } },
        { name: 'no-retry', match: { prefix: '/plain' }, to: 'flaky' },
        { name: 'down', match: { prefix: '/down' }, to: 'gone', fallback: true },
        { name: 'down-strict', match: { prefix: '/strict' }, to: 'gone' },
      ],
    });
    nginx = await nginxFor(routes);
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([monolith?.close(), flaky?.close()]);
  });

  it('retries an idempotent request on a 5xx, up to the route attempts', async () => {
    failuresLeft = 2;
    const reply = await fetch(`${nginx.url}/retried/x`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-upstream')).toBe('flaky');
    expect(failuresLeft).toBe(0);
  });

  it('never retries a POST (non-idempotent): the client gets the 503', async () => {
    failuresLeft = 1;
    const before = flaky.seen.length;
    const reply = await fetch(`${nginx.url}/retried/x`, { method: 'POST', body: '{}' });
    expect(reply.status).toBe(503);
    expect(flaky.seen.length - before).toBe(1);
  });

  it('passes a 5xx through unchanged on a route without retry', async () => {
    failuresLeft = 1;
    const reply = await fetch(`${nginx.url}/plain/x`);
    expect(reply.status).toBe(503);
    expect(await reply.text()).toBe('busy');
  });

  it('falls back to the monolith for GET/HEAD when the target is down, not for POST', async () => {
    const get = await fetch(`${nginx.url}/down/albums`);
    expect(get.status).toBe(200);
    expect(get.headers.get('x-upstream')).toBe('monolith');
    expect(get.headers.get('x-correlation-id')).toMatch(/^[0-9a-f]{32}$/);
    const post = await fetch(`${nginx.url}/down/albums`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(502);
    const strict = await fetch(`${nginx.url}/strict/albums`);
    expect(strict.status).toBe(502);
  });

  it('streams a POST body to the upstream', async () => {
    const reply = await fetch(`${nginx.url}/plain/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { method: string }).method).toBe('POST');
  });
});
