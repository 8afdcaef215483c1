import fs from 'node:fs';
import { Pool } from 'undici';
import { echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

describe('hot reload under load', () => {
  let monolith: TestUpstream;
  let blue: TestUpstream;
  let green: TestUpstream;
  let proxy: TestProxy;
  let blueDelayMs = 0;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    blue = await startUpstream(
      (req, res) => void setTimeout(() => echo('blue')(req, res), blueDelayMs),
    );
    green = await startUpstream(echo('green'));
    proxy = await startTestProxy(
      routesDoc({ monolith: monolith.url, blue: blue.url, green: green.url }, [
        { name: 'catalog', match: { prefix: '/catalog' }, to: 'blue', percent: 50 },
      ]),
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), blue.close(), green.close()]);
  });

  it('lets a request in flight finish on the table it started with', async () => {
    const original = fs.readFileSync(proxy.file!, 'utf8');
    try {
      fs.writeFileSync(proxy.file!, original.replace('percent: 50', 'percent: 100'));
      proxy.proxy.store.reload('all blue');
      blueDelayMs = 300;
      const seenBefore = blue.seen.length;
      const inFlight = fetch(`${proxy.url}/catalog/slow`).then(
        (r) => r.json() as Promise<{ upstream: string }>,
      );
      while (blue.seen.length === seenBefore)
        await new Promise((resolve) => setTimeout(resolve, 5));
      fs.writeFileSync(
        proxy.file!,
        original.replace('to: blue', 'to: green').replace('percent: 50', 'percent: 100'),
      );
      expect(proxy.proxy.store.reload('flip to green').ok).toBe(true);
      const after = (await (await fetch(`${proxy.url}/catalog/fast`)).json()) as {
        upstream: string;
      };
      expect(after.upstream).toBe('green');
      expect((await inFlight).upstream).toBe('blue');
    } finally {
      blueDelayMs = 0;
      fs.writeFileSync(proxy.file!, original);
      proxy.proxy.store.reload('restore');
    }
  });

  it('serves every request across 100 reloads (flips and refused bad edits) with zero failures', async () => {
    const variants = [
      fs.readFileSync(proxy.file!, 'utf8'),
      fs
        .readFileSync(proxy.file!, 'utf8')
        .replace('to: blue', 'to: green')
        .replace('percent: 50', 'percent: 90'),
      'version: 1\nupstreams: { monolith: { url: "not a url" } }\n',
    ];
    const client = new Pool(proxy.url, { connections: 16 });
    const failures: string[] = [];
    const answeredBy = new Map<string, number>();
    let done = false;
    let requests = 0;
    const worker = async () => {
      while (!done) {
        try {
          const response = await client.request({
            path: `/catalog/albums?n=${requests++}`,
            method: 'GET',
            headers: { 'x-correlation-id': `load-${requests}` },
          });
          const body = (await response.body.json()) as { upstream: string };
          if (response.statusCode !== 200) failures.push(`status ${response.statusCode}`);
          answeredBy.set(body.upstream, (answeredBy.get(body.upstream) ?? 0) + 1);
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    let refused = 0;
    for (let i = 0; i < 100; i++) {
      fs.writeFileSync(proxy.file!, variants[i % 3]);
      if (!proxy.proxy.store.reload(`load test ${i}`).ok) refused++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    done = true;
    await Promise.all(workers);
    await client.close();
    expect(failures).toEqual([]);
    expect(refused).toBe(33);
    expect(requests).toBeGreaterThan(200);
    expect(answeredBy.get('blue')).toBeGreaterThan(0);
    expect(answeredBy.get('green')).toBeGreaterThan(0);
    expect(answeredBy.get('monolith')).toBeGreaterThan(0);
  });
});
