import type { NginxDataPlane } from '../../src/nginx';
import { renderNginxConfig } from '../../src/nginx';
import { rawRequest } from '../support/raw-http';
import { echo, startUpstream, type TestUpstream } from '../support/upstream';
import { describeWithNginx, loadRoutes, nginxFor } from './support';
import { type SlowClient, startSlowPost } from '../support/slow-post';

async function until(condition: () => boolean, what: string, deadlineMs = 5_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function routes(
  upstreams: Record<string, string>,
  limits: Record<string, number>,
  extraRoutes: object[] = [],
) {
  return loadRoutes({
    version: 1,
    upstreams: Object.fromEntries(
      Object.entries(upstreams).map(([name, url]) => [name, { url, breaker: false }]),
    ),
    default: { to: 'monolith' },
    routes: extraRoutes,
    limits,
  });
}

describe('nginx export: request-body limits', () => {
  const render = (limits: Record<string, number>) =>
    renderNginxConfig(routes({ monolith: 'http://127.0.0.1:3000' }, limits), {
      listen: { host: '127.0.0.1', port: 8080 },
      source: 'routes.yaml',
    }).text;

  it('receives bodies before the upstream request opens, with the limits of the routes file', () => {
    const text = render({ bufferBodyBytes: 4096, bodyTimeoutMs: 2_500, maxBodiesPerClient: 7 });
    expect(text).toContain('proxy_request_buffering on;');
    expect(text).toContain('client_body_buffer_size 4096;');
    expect(text).toContain('client_body_timeout 2500ms;');
    expect(text).toContain('limit_conn strangler_bodies 7;');
    expect(text).toContain('limits.maxBodiesPerClient (7)');
  });

  it('streams bodies as they arrive when bufferBodyBytes is 0', () => {
    const text = render({ bufferBodyBytes: 0 });
    expect(text).toContain('proxy_request_buffering off;');
    expect(text).not.toContain('client_body_buffer_size');
  });

  it('lists how the limits differ in the header', () => {
    const text = render({});
    expect(text).toMatch(/^# {3}- limits\.bodyTimeoutMs bounds the longest pause/m);
    expect(text).toMatch(/^# {3}- limits\.maxBodiesPerClient counts a request/m);
  });
});

describeWithNginx('nginx data plane: request-body limits', () => {
  let monolith: TestUpstream;
  let flaky: TestUpstream;
  let failuresLeft = 0;
  const planes: NginxDataPlane[] = [];
  const clients: SlowClient[] = [];

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    flaky = await startUpstream((req, res) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        req.resume();
        return void res.writeHead(503).end('busy');
      }
      echo('flaky')(req, res);
    });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.socket.destroy();
  });

  afterAll(async () => {
    await Promise.all(planes.map((plane) => plane.stop()));
    await Promise.all([monolith?.close(), flaky?.close()]);
  });

  async function plane(limits: Record<string, number>, extraRoutes: object[] = []) {
    const started = await nginxFor(
      routes({ monolith: monolith.url, flaky: flaky.url }, limits, extraRoutes),
    );
    planes.push(started);
    return started;
  }

  async function slowPost(base: string, path: string, length: number) {
    const client = await startSlowPost(base, path, length);
    clients.push(client);
    return client;
  }

  it('a slow body reaches the upstream only once it has all arrived', async () => {
    const nginx = await plane({ bodyTimeoutMs: 5_000 });
    const client = await slowPost(nginx.url, '/slow-whole', 3);
    await pause(300);
    expect(monolith.seen.some((r) => r.url === '/slow-whole')).toBe(false);
    client.socket.write('yz');
    await until(() => client.answer.includes('\r\n\r\n'), 'the answer');
    expect(client.answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(monolith.seen.filter((r) => r.url === '/slow-whole')).toHaveLength(1);
  });

  it('with bufferBodyBytes 0 the upstream request opens while the body is still arriving', async () => {
    const nginx = await plane({ bufferBodyBytes: 0, bodyTimeoutMs: 5_000 });
    const client = await slowPost(nginx.url, '/slow-streamed', 3);
    await until(() => monolith.seen.some((r) => r.url === '/slow-streamed'), 'the upstream');
    expect(client.answer).toBe('');
    client.socket.write('yz');
    await until(() => client.answer.includes('\r\n\r\n'), 'the answer');
    expect(client.answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  });

  it('a body that pauses longer than bodyTimeoutMs is ended (nginx closes without an answer) and never reaches the upstream', async () => {
    const nginx = await plane({ bodyTimeoutMs: 300 });
    const client = await slowPost(nginx.url, '/stalled', 10);
    await until(() => client.socket.readableEnded || client.socket.destroyed, 'the close', 3_000);
    expect(client.answer).toBe('');
    expect(monolith.seen.some((r) => r.url === '/stalled')).toBe(false);
  });

  it('a body larger than maxBodyBytes gets 413 and never reaches the upstream', async () => {
    const nginx = await plane({ maxBodyBytes: 10 });
    const refused = await rawRequest(nginx.url, {
      method: 'POST',
      path: '/too-large',
      body: 'x'.repeat(11),
    });
    expect(refused.status).toBe(413);
    expect(monolith.seen.some((r) => r.url === '/too-large')).toBe(false);
    const fits = await rawRequest(nginx.url, {
      method: 'POST',
      path: '/fits',
      body: 'x'.repeat(10),
    });
    expect(fits.status).toBe(200);
  });

  it('refuses a third body from one address with 429 naming the limit, serves GETs meanwhile, and admits bodies again once the slow ones end', async () => {
    const nginx = await plane({ bodyTimeoutMs: 10_000, maxBodiesPerClient: 2 });
    const slow = [await slowPost(nginx.url, '/a', 10), await slowPost(nginx.url, '/b', 10)];
    await pause(200);
    const refused = await rawRequest(nginx.url, { method: 'POST', path: '/c', body: 'hello' });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body.toString()).error).toMatchObject({
      code: 'ERR_TOO_MANY_BODIES',
      message: expect.stringContaining('limits.maxBodiesPerClient (2)'),
    });
    expect((await rawRequest(nginx.url, { path: '/d' })).status).toBe(200);
    for (const client of slow) client.socket.destroy();
    await pause(200);
    const admitted = await rawRequest(nginx.url, { method: 'POST', path: '/e', body: 'hello' });
    expect(admitted.status).toBe(200);
  });

  it('never sends a request body twice: a PUT with a body is not retried, one without is', async () => {
    const nginx = await plane({}, [
      {
        name: 'retried',
        match: { prefix: '/retried' },
        to: 'flaky',
        retry: { attempts: 2, methods: ['GET', 'PUT'] },
      },
    ]);
    failuresLeft = 1;
    const before = flaky.seen.length;
    const withBody = await rawRequest(nginx.url, { method: 'PUT', path: '/retried/1', body: '{}' });
    expect(withBody.status).toBe(503);
    expect(flaky.seen.length - before).toBe(1);
    failuresLeft = 1;
    const bodiless = await rawRequest(nginx.url, { method: 'PUT', path: '/retried/2' });
    expect(bodiless.status).toBe(200);
    expect(failuresLeft).toBe(0);
  });
});
