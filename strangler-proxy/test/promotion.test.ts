import fs from 'node:fs';
import type http from 'node:http';
import { parse } from 'yaml';
import { startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';
import type { PromotionView } from '../src/dashboard';

const json = (body: unknown) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  _req.resume();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const PROMOTE = { windowMs: 100, minRequests: 3, minMatchRate: 0.99 };

describe('promote: auto walks a route shadow → 5 → 25 → 50 → 100 while the shadow matches, and rolls back on a breach', () => {
  let monolith: TestUpstream;
  let good: TestUpstream;
  let bad: TestUpstream;
  let proxy: TestProxy;
  // The promotion's clock: the tests move it past each window instead of sleeping.
  let clock = 1_000_000;

  beforeAll(async () => {
    monolith = await startUpstream(json({ id: 1, price: 10 }));
    good = await startUpstream(json({ id: 1, price: 10 }));
    bad = await startUpstream(json({ id: 1, price: 11 }));
    proxy = await startTestProxy(
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
      { promotionCheckMs: 3_600_000, now: () => clock },
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), good.close(), bad.close()]);
  });

  const percentInFile = (name: string) =>
    (
      parse(fs.readFileSync(proxy.file!, 'utf8')).routes as Array<{ name: string; percent: number }>
    ).find((r) => r.name === name)!.percent;
  async function promotionOf(name: string): Promise<PromotionView> {
    const body = (await (await proxy.admin('/admin/routes')).json()) as {
      routes: Array<{ name: string; promotion?: PromotionView }>;
    };
    return body.routes.find((r) => r.name === name)!.promotion!;
  }
  async function trafficThenCheck(prefix: string, requests: number): Promise<void> {
    for (let i = 0; i < requests; i++)
      expect((await fetch(`${proxy.url}${prefix}/${i}`)).status).toBe(200);
    await proxy.proxy.shadow.drain();
    clock += PROMOTE.windowMs + 20;
    proxy.proxy.promotion.check();
  }

  it('moves one step per window that held, writes every step to the routes file and logs it', async () => {
    expect(await promotionOf('albums')).toMatchObject({
      step: 'shadow',
      steps: ['shadow', 5, 25, 50, 100],
    });
    const walked: number[] = [];
    for (const expected of [5, 25, 50, 100]) {
      await trafficThenCheck('/albums', 40);
      walked.push(percentInFile('albums'));
      expect(proxy.proxy.store.current().config.routes[0].percent).toBe(expected);
    }
    expect(walked).toEqual([5, 25, 50, 100]);
    expect(await promotionOf('albums')).toMatchObject({
      state: 'done',
      step: 100,
      reason: expect.stringMatching(/match rate 100\.0%/),
    });
    const moves = proxy.logs.lines
      .filter((l) => l.action === 'promotion' && l.route === 'albums')
      .map((l) => l.to);
    expect(moves).toEqual([5, 25, 50, 100]);
  });

  it('rolls back to the shadow step when the match rate breaks the threshold, and stays there until resumed', async () => {
    await trafficThenCheck('/orders', 20);
    expect(percentInFile('orders')).toBe(0);
    expect(await promotionOf('orders')).toMatchObject({
      state: 'rolled-back',
      step: 'shadow',
      reason: expect.stringMatching(/breached/),
    });
    expect(
      proxy.logs.lines.some(
        (l) =>
          l.action === 'promotion' &&
          l.route === 'orders' &&
          l.state === 'rolled-back' &&
          l.level === 40,
      ),
    ).toBe(true);
    clock += PROMOTE.windowMs + 20;
    proxy.proxy.promotion.check();
    expect(await promotionOf('orders')).toMatchObject({ state: 'rolled-back' });
    const resumed = await proxy.admin('/admin/routes/orders/promotion', {
      method: 'POST',
      body: JSON.stringify({ action: 'resume' }),
    });
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as { promotion: PromotionView }).promotion.state).toBe(
      'running',
    );
  });

  it('does not move a paused route, and refuses pause on a route without promote', async () => {
    proxy.proxy.store.change('albums', { percent: 0 }, 'test');
    expect(
      (
        await proxy.admin('/admin/routes/albums/promotion', {
          method: 'POST',
          body: JSON.stringify({ action: 'pause' }),
        })
      ).status,
    ).toBe(200);
    await trafficThenCheck('/albums', 10);
    expect(percentInFile('albums')).toBe(0);
    expect(await promotionOf('albums')).toMatchObject({ state: 'paused' });
    expect(
      (
        await proxy.admin('/admin/routes/default/promotion', {
          method: 'POST',
          body: JSON.stringify({ action: 'pause' }),
        })
      ).status,
    ).toBe(400);
  });
});
