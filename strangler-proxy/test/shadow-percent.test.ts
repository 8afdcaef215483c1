import { rawRequest } from './support/raw-http';
import { echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

describe('shadow.percent mirrors a share of a route, per user when the route is sticky', () => {
  let monolith: TestUpstream;
  let candidate: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    candidate = await startUpstream(echo('candidate'));
    proxy = await startTestProxy(
      routesDoc({ monolith: monolith.url, candidate: candidate.url }, [
        {
          name: 'albums',
          match: { prefix: '/albums' },
          to: 'candidate',
          percent: 10,
          sticky: { header: 'x-customer-id' },
          shadow: { upstream: 'candidate', percent: 20 },
        },
        {
          name: 'random',
          match: { prefix: '/random' },
          to: 'monolith',
          shadow: { upstream: 'candidate', percent: 30 },
        },
      ]),
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), candidate.close()]);
  });

  it('mirrors all or none of a user’s requests, about 20 % of users, never the canary’s own users', async () => {
    const canaryUsers = new Set<string>();
    for (let user = 0; user < 200; user++) {
      for (let i = 0; i < 3; i++) {
        const answer = await rawRequest(proxy.url, {
          path: `/albums/${i}`,
          headers: { 'x-customer-id': `customer-${user}` },
        });
        if (JSON.parse(answer.body.toString()).upstream === 'candidate')
          canaryUsers.add(`customer-${user}`);
      }
    }
    await proxy.proxy.shadow.drain();
    const perUser = new Map<string, number>();
    for (const seen of candidate.seen) {
      const user = String(seen.headers['x-customer-id']);
      if (!canaryUsers.has(user) && seen.url.startsWith('/albums'))
        perUser.set(user, (perUser.get(user) ?? 0) + 1);
    }
    expect([...new Set(perUser.values())]).toEqual([3]);
    expect(perUser.size).toBeGreaterThan(200 * 0.1);
    expect(perUser.size).toBeLessThan(200 * 0.3);
    expect(canaryUsers.size).toBeGreaterThan(0);
    const compared = proxy.proxy.shadow.results.summary().find((r) => r.route === 'albums');
    expect(compared?.compared).toBe(perUser.size * 3);
  });

  it('without sticky, mirrors about that share of requests', async () => {
    const before = candidate.seen.length;
    for (let i = 0; i < 400; i++) await rawRequest(proxy.url, { path: `/random/${i}` });
    await proxy.proxy.shadow.drain();
    const mirrored = candidate.seen.length - before;
    expect(mirrored).toBeGreaterThan(400 * 0.2);
    expect(mirrored).toBeLessThan(400 * 0.4);
  });
});
