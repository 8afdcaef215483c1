import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { PromotionView } from '../src/dashboard';
import { startTestProxy, type TestProxy } from './support/harness';
import { routesDoc } from './support/routes';
import { startUpstream, type TestUpstream } from './support/upstream';

const json = (body: unknown) => (req: http.IncomingMessage, res: http.ServerResponse) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const PROMOTE = { windowMs: 60_000, minRequests: 10, minMatchRate: 0.99 };

describe('a restarted proxy takes up a promotion where it was', () => {
  let monolith: TestUpstream;
  let good: TestUpstream;
  let bad: TestUpstream;
  let dir: string;
  let routesFile: string;
  let stateFile: string;
  let clock = 1_000_000;

  beforeAll(async () => {
    monolith = await startUpstream(json({ id: 1, price: 10 }));
    good = await startUpstream(json({ id: 1, price: 10 }));
    bad = await startUpstream(json({ id: 1, price: 11 }));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-restart-'));
    routesFile = path.join(dir, 'routes.yaml');
    stateFile = path.join(dir, 'data', 'strangler-proxy-state.json');
    fs.writeFileSync(
      routesFile,
      stringify(
        routesDoc({ monolith: monolith.url, good: good.url, bad: bad.url }, [
          {
            name: 'albums',
            match: { prefix: '/albums' },
            to: 'good',
            percent: 0,
            shadow: 'good',
            promote: PROMOTE,
          },
          {
            name: 'orders',
            match: { prefix: '/orders' },
            to: 'bad',
            percent: 25,
            shadow: 'bad',
            promote: PROMOTE,
          },
        ]),
      ),
    );
  });

  afterAll(async () => {
    await Promise.all([monolith.close(), good.close(), bad.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = () =>
    startTestProxy({}, { routesFile, stateFile, promotionCheckMs: 3_600_000, now: () => clock });
  async function promotionOf(proxy: TestProxy, name: string): Promise<PromotionView> {
    const body = (await (await proxy.admin('/admin/routes')).json()) as {
      routes: Array<{ name: string; promotion?: PromotionView }>;
    };
    return body.routes.find((r) => r.name === name)!.promotion!;
  }
  async function traffic(proxy: TestProxy, prefix: string, requests: number): Promise<void> {
    for (let i = 0; i < requests; i++)
      expect((await fetch(`${proxy.url}${prefix}/${i}`)).status).toBe(200);
    await proxy.proxy.shadow.drain();
  }
  const percentOf = (proxy: TestProxy, name: string) =>
    proxy.proxy.store.current().config.routes.find((r) => r.name === name)!.percent;

  it('resumes at the same step with its window counts, keeps a rollback held, and does not count the downtime', async () => {
    const first = await start();
    let comparedBefore = 0;
    try {
      first.proxy.promotion.check(); // the windows open when the controller first sees the routes
      await traffic(first, '/albums', 12);
      clock += PROMOTE.windowMs;
      first.proxy.promotion.check();
      expect(percentOf(first, 'albums')).toBe(5);
      await traffic(first, '/orders', 24); // the 25 % canary's own requests are not compared
      first.proxy.promotion.check();
      expect(await promotionOf(first, 'orders')).toMatchObject({ state: 'rolled-back' });
      // Halfway through the next window: 30 s of its 60 s, some of the 10 comparisons it needs
      // (the 5 % canary's own requests are not compared, so how many is a draw).
      await traffic(first, '/albums', 8);
      clock += 30_000;
      first.proxy.promotion.check();
      comparedBefore = first.proxy.shadow.results.route('albums')!.compared;
    } finally {
      await first.close();
    }
    expect(fs.existsSync(stateFile)).toBe(true);

    clock += 10 * 60_000; // down for ten minutes
    const second = await start();
    try {
      expect(percentOf(second, 'albums')).toBe(5);
      expect(await promotionOf(second, 'albums')).toMatchObject({
        state: 'running',
        step: 5,
        reason: expect.stringContaining(
          `resumed after a restart at step 5%; its window keeps the ${comparedBefore - 12} comparisons`,
        ),
      });
      const shadow = (await (await second.admin('/admin/shadow')).json()) as {
        routes: Array<{ route: string; compared: number }>;
      };
      expect(shadow.routes.find((r) => r.route === 'albums')?.compared).toBe(comparedBefore);
      // The downtime does not fill the window: 30 s of it are still to run.
      await traffic(second, '/albums', 8);
      second.proxy.promotion.check();
      expect(percentOf(second, 'albums')).toBe(5);
      clock += 30_000;
      second.proxy.promotion.check();
      expect(percentOf(second, 'albums')).toBe(25);
      // The rollback is still held: no step until an operator resumes it.
      await traffic(second, '/orders', 12);
      clock += PROMOTE.windowMs;
      second.proxy.promotion.check();
      expect(percentOf(second, 'orders')).toBe(0);
      expect(await promotionOf(second, 'orders')).toMatchObject({ state: 'rolled-back' });
    } finally {
      await second.close();
    }
  });

  it('starts a new window (and says why) when the routes file moved the route while the proxy was down; a broken state file is set aside', async () => {
    // An operator moved albums from 25 % to 50 % while the proxy was down.
    fs.writeFileSync(
      routesFile,
      fs.readFileSync(routesFile, 'utf8').replace(/(name: albums[\s\S]*?percent: )25/, '$150'),
    );
    const third = await start();
    try {
      expect(await promotionOf(third, 'albums')).toMatchObject({
        state: 'running',
        step: 50,
        reason: expect.stringContaining(
          'the routes file moved this route from 25% to 50% while the proxy was down: the window starts over',
        ),
      });
    } finally {
      await third.close();
    }
    fs.writeFileSync(stateFile, '{"version": 1, "promotions": ');
    const fourth = await start();
    try {
      expect(fs.readdirSync(path.dirname(stateFile)).some((f) => f.includes('.broken-'))).toBe(
        true,
      );
      expect(fourth.logs.lines.some((l) => String(l.msg).includes('was moved to'))).toBe(true);
      expect(percentOf(fourth, 'albums')).toBe(50);
    } finally {
      await fourth.close();
    }
  });
});
