import fs from 'node:fs';
import type http from 'node:http';
import { parse } from 'yaml';
import type { PromotionView } from '../../src/dashboard';
import { ADMIN_TOKEN } from '../support/routes';
import { startUpstream, type TestUpstream } from '../support/upstream';
import {
  describeWithNginx,
  eventually,
  fetchFresh,
  type NginxProxyUnderTest,
  startNginxProxyOn,
} from './support';

const answer = (status: number) => (req: http.IncomingMessage, res: http.ServerResponse) => {
  req.resume();
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(status === 200 ? { id: 1, price: 10 } : { error: 'broken' }));
};
const PROMOTE = { windowMs: 300, minRequests: 3, minMatchRate: 0.99, maxErrorRate: 0.1 };
const WAIT_MS = 20_000;

describeWithNginx('proxy start --engine nginx: promote: auto', () => {
  let monolith: TestUpstream;
  let good: TestUpstream;
  let broken: TestUpstream;
  let stack: NginxProxyUnderTest;

  beforeAll(async () => {
    monolith = await startUpstream(answer(200));
    good = await startUpstream(answer(200));
    broken = await startUpstream(answer(500));
    const upstream = (url: string) => ({ url, breaker: false });
    stack = await startNginxProxyOn(
      {
        version: 1,
        upstreams: {
          monolith: upstream(monolith.url),
          good: upstream(good.url),
          broken: upstream(broken.url),
        },
        default: { to: 'monolith' },
        routes: [
          {
            name: 'albums',
            match: { prefix: '/albums' },
            to: 'good',
            percent: 0,
            shadow: 'good',
            promote: PROMOTE,
          },
          // Nothing compared (shadow percent 0): only the candidate's errors can move it.
          {
            name: 'orders',
            match: { prefix: '/orders' },
            to: 'broken',
            percent: 50,
            shadow: { upstream: 'broken', percent: 0 },
            promote: PROMOTE,
          },
        ],
      },
      { promotionCheckMs: 100 },
    );
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all([monolith, good, broken].map((u) => u?.close()));
  });

  const percentInFile = (name: string) =>
    (
      parse(fs.readFileSync(stack.routesFile, 'utf8')).routes as Array<{
        name: string;
        percent: number;
      }>
    ).find((r) => r.name === name)!.percent;
  async function promotionOf(name: string): Promise<PromotionView> {
    const reply = await fetchFresh(`${stack.proxy.adminUrl}/admin/routes`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const body = (await reply.json()) as {
      routes: Array<{ name: string; promotion?: PromotionView }>;
    };
    return body.routes.find((r) => r.name === name)!.promotion!;
  }
  const traffic = async (prefix: string, requests: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < requests; i++) {
      const reply = await fetchFresh(`${stack.proxy.url}${prefix}/${i}`);
      await reply.arrayBuffer();
      statuses.push(reply.status);
    }
    return statuses;
  };

  it('when the shadow keeps matching, then the route walks shadow → 5 → 25 %, each step written to the routes file and served by nginx', async () => {
    const percent = await eventually(
      async () => {
        await traffic('/albums', 5);
        return percentInFile('albums');
      },
      (value) => value >= 25,
      WAIT_MS,
    );
    expect(percent).toBeGreaterThanOrEqual(25);
    expect(await promotionOf('albums')).toMatchObject({
      state: expect.stringMatching(/running|done/),
    });
    // nginx serves the step it was reloaded with: the canary share (or, at 100 %, the whole route).
    const served = /(?:25|50)\.00% good;|"albums" good;/;
    const config = await eventually(
      async () => fs.readFileSync(`${stack.dir}/nginx/nginx.conf`, 'utf8'),
      (text) => served.test(text),
      WAIT_MS,
    );
    expect(config).toMatch(served);
  }, 60_000);

  it("when the candidate's answers fail, then the route is rolled back to the shadow step from nginx's log, and nginx stops sending it traffic", async () => {
    const statuses = await traffic('/orders', 30);
    expect(statuses).toContain(500);
    const view = await eventually(
      () => promotionOf('orders'),
      (v) => v.state === 'rolled-back',
      WAIT_MS,
    );
    expect(view.state).toBe('rolled-back');
    expect(view.reason).toMatch(/error rate/);
    expect(percentInFile('orders')).toBe(0);
    const reached = broken.seen.length;
    const after = await eventually(
      () => traffic('/orders', 10),
      (list) => list.every((status) => status === 200),
      WAIT_MS,
    );
    expect(after.every((status) => status === 200)).toBe(true);
    // Once nginx reloaded at 0 %, the candidate gets nothing more.
    const settled = broken.seen.length;
    await traffic('/orders', 10);
    expect(broken.seen.length).toBe(settled);
    expect(settled).toBeGreaterThanOrEqual(reached);
  }, 60_000);
});
