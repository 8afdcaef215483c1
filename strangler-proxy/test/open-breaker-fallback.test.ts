import { jsonOf, rawRequest } from './support/raw-http';
import { echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function timed(url: string, path: string): Promise<number> {
  const started = performance.now();
  const response = await rawRequest(url, { path });
  expect(response.status).toBe(200);
  expect(JSON.parse(response.body.toString()).upstream).toBe('monolith');
  return performance.now() - started;
}

describe('when a breaker is open, a route with retries and fallback falls back at once', () => {
  let monolith: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    const dead = await startUpstream(echo('dead'));
    await dead.close(); // its port now refuses connections
    proxy = await startTestProxy(
      routesDoc(
        {
          monolith: monolith.url,
          service: {
            url: dead.url,
            breaker: { failureRate: 0.5, minRequests: 2, windowMs: 60_000, openMs: 600_000 },
          },
        },
        [
          {
            name: 'guarded',
            match: { prefix: '/guarded' },
            to: 'service',
            fallback: true,
            retry: { attempts: 2, backoffMs: 100 },
          },
          { name: 'direct', match: { prefix: '/direct' }, to: 'monolith' },
        ],
      ),
    );
  });

  afterAll(async () => {
    await proxy.close();
    await monolith.close();
  });

  it('answers from the monolith about as fast as a route that goes there directly, with no retries', async () => {
    await timed(proxy.url, '/guarded/warm-up'); // fails twice against the dead service: the breaker opens
    expect((await jsonOf(proxy.admin('/admin/status'))).breakers.service.state).toBe('open');
    const retriesBefore = (await (await fetch(`${proxy.adminUrl}/metrics`)).text()).match(
      /strangler_proxy_retries_total\{upstream="service"\} (\d+)/,
    )?.[1];

    const direct: number[] = [];
    const fallback: number[] = [];
    for (let i = 0; i < 30; i++) {
      direct.push(await timed(proxy.url, `/direct/${i}`));
      fallback.push(await timed(proxy.url, `/guarded/${i}`));
    }
    const ratio = median(fallback) / median(direct);
    process.stdout.write(
      `open-breaker fallback: median ${median(fallback).toFixed(2)} ms vs the direct monolith route ${median(direct).toFixed(2)} ms (ratio ${ratio.toFixed(2)})\n`,
    );
    // Retrying against the open breaker waited 100 + 200 ms of backoff per request (ratio > 100).
    expect(ratio).toBeLessThan(5);
    const retriesAfter = (await (await fetch(`${proxy.adminUrl}/metrics`)).text()).match(
      /strangler_proxy_retries_total\{upstream="service"\} (\d+)/,
    )?.[1];
    expect(retriesAfter).toBe(retriesBefore);
  });
});
