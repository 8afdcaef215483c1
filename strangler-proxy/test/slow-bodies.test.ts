import http from 'node:http';
import { rawRequest } from './support/raw-http';
import { echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';
import { type SlowClient, startSlowPost } from './support/slow-post';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** A GET with its own deadline: a request the proxy cannot serve fails instead of hanging the test. */
function timedGet(base: string, path: string, deadlineMs = 5_000): Promise<number> {
  const url = new URL(base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: url.hostname, port: url.port, path, agent: false, timeout: deadlineMs },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`GET ${path} answered ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`GET ${path} got no answer in ${deadlineMs} ms`)),
    );
    req.on('error', reject);
  });
}

function dripEverySecond(clients: SlowClient[]): NodeJS.Timeout {
  return setInterval(() => {
    for (const client of clients) if (!client.socket.destroyed) client.socket.write('x');
  }, 1_000);
}

describe('when 500 clients send request bodies at one byte a second', () => {
  let service: TestUpstream;
  let monolith: TestUpstream;
  let proxy: TestProxy;
  const uploads: string[] = [];

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    service = await startUpstream((req, res) => {
      if (req.method === 'POST') uploads.push(req.url ?? '');
      echo('service')(req, res);
    });
    proxy = await startTestProxy(
      routesDoc(
        // A small pool: before bodies were received first, 8 slow senders held it all.
        { monolith: monolith.url, service: { url: service.url, connections: 8 } },
        [
          { name: 'upload', match: { prefix: '/upload' }, to: 'service' },
          { name: 'things', match: { prefix: '/things' }, to: 'service' },
        ],
        { limits: { bodyTimeoutMs: 3_000, maxBodiesPerClient: 1_000 } },
      ),
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([service.close(), monolith.close()]);
  });

  it('GETs on another route of the same upstream keep their latency, and the slow senders get 408 without reaching the upstream', async () => {
    const baseline: number[] = [];
    for (let i = 0; i < 40; i++) baseline.push(await timedGet(proxy.url, `/things/${i}`));

    const clients = await Promise.all(
      Array.from({ length: 500 }, (_, i) => startSlowPost(proxy.url, `/upload/${i}`, 100)),
    );
    const drip = dripEverySecond(clients);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const loaded: number[] = [];
      for (let i = 0; i < 40; i++) loaded.push(await timedGet(proxy.url, `/things/${i}`));
      const ratio = median(loaded) / median(baseline);
      process.stdout.write(
        `slow bodies: GET median ${median(loaded).toFixed(2)} ms with 500 slow senders vs ${median(baseline).toFixed(2)} ms before them (ratio ${ratio.toFixed(2)})\n`,
      );
      expect(ratio).toBeLessThan(10);

      // limits.bodyTimeoutMs (3 s) ends every slow body; none of them ever reached the upstream.
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && clients.some((c) => !c.answer.includes('\r\n\r\n')))
        await new Promise((resolve) => setTimeout(resolve, 100));
      const statuses = new Set(clients.map((c) => c.answer.split('\r\n')[0]));
      expect([...statuses]).toEqual(['HTTP/1.1 408 Request Timeout']);
      expect(clients[0].answer).toContain('limits.bodyTimeoutMs');
      expect(uploads).toEqual([]);
    } finally {
      clearInterval(drip);
      for (const client of clients) client.socket.destroy();
    }
  }, 25_000);
});

describe('limits.maxBodiesPerClient caps the bodies one client address sends at once', () => {
  let monolith: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    proxy = await startTestProxy(
      routesDoc({ monolith: monolith.url }, [], {
        limits: { bodyTimeoutMs: 10_000, maxBodiesPerClient: 2 },
      }),
    );
  });

  afterAll(async () => {
    await proxy.close();
    await monolith.close();
  });

  it('refuses a third body with 429 naming the limit, serves GETs meanwhile, and admits bodies again once the slow ones end', async () => {
    const slow = await Promise.all([
      startSlowPost(proxy.url, '/a', 10),
      startSlowPost(proxy.url, '/b', 10),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await rawRequest(proxy.url, { method: 'POST', path: '/c', body: 'hello' });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body.toString()).error).toMatchObject({
      code: 'ERR_TOO_MANY_BODIES',
      message: expect.stringContaining('limits.maxBodiesPerClient (2)'),
    });
    expect((await rawRequest(proxy.url, { path: '/d' })).status).toBe(200);
    for (const client of slow) client.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const admitted = await rawRequest(proxy.url, { method: 'POST', path: '/e', body: 'hello' });
    expect(admitted.status).toBe(200);
  });
});
