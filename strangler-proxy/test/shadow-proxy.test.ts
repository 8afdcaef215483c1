import type http from 'node:http';
import { startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';
import type { ShadowView } from '../src/dashboard';

/** Answers a fixed JSON body; `hold` keeps the answer back until `release()`. */
function fixedJson(body: unknown, options: { hold?: boolean } = {}) {
  const held: Array<() => void> = [];
  let answered = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = () => {
        answered++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ...(body as object),
            echoed: Buffer.concat(chunks).toString() || undefined,
          }),
        );
      };
      if (options.hold) held.push(send);
      else send();
    });
  };
  return {
    handler,
    release: () => {
      for (const send of held.splice(0)) send();
    },
    answered: () => answered,
  };
}

const ALBUM = { id: 7, title: 'Blue Train', price: 12.5 };

describe.each(['undici', 'http-proxy-3'] as const)(
  'parallel run through the proxy (shadow routes, %s engine)',
  (engine) => {
    let monolith: TestUpstream;
    let same: TestUpstream;
    let different: TestUpstream;
    let slow: TestUpstream;
    let sandbox: TestUpstream;
    let proxy: TestProxy;
    const slowAnswers = fixedJson(ALBUM, { hold: true });

    beforeAll(async () => {
      monolith = await startUpstream(fixedJson(ALBUM).handler);
      same = await startUpstream(fixedJson(ALBUM).handler);
      different = await startUpstream(fixedJson({ ...ALBUM, price: 13 }).handler);
      slow = await startUpstream(slowAnswers.handler);
      sandbox = await startUpstream(fixedJson(ALBUM).handler);
      proxy = await startTestProxy(
        routesDoc(
          {
            monolith: monolith.url,
            same: same.url,
            different: different.url,
            slow: slow.url,
            sandbox: { url: sandbox.url, sandbox: true },
          },
          [
            { name: 'matching', match: { prefix: '/matching' }, to: 'monolith', shadow: 'same' },
            {
              name: 'differing',
              match: { prefix: '/differing' },
              to: 'monolith',
              shadow: { upstream: 'different', compare: { ignore: ['$.echoed'] } },
            },
            {
              name: 'slow',
              match: { prefix: '/slow' },
              to: 'monolith',
              shadow: { upstream: 'slow', timeoutMs: 100 },
            },
            {
              name: 'held',
              match: { prefix: '/held' },
              to: 'monolith',
              shadow: { upstream: 'slow', timeoutMs: 600_000 },
            },
            { name: 'writes', match: { prefix: '/writes' }, to: 'monolith', shadow: 'same' },
            {
              name: 'sandboxed',
              match: { prefix: '/sandboxed' },
              to: 'monolith',
              shadow: { upstream: 'sandbox', sandbox: true },
            },
          ],
        ),
        { engine },
      );
    });

    afterAll(async () => {
      slowAnswers.release();
      await proxy.close();
      await Promise.all([monolith, same, different, slow, sandbox].map((u) => u.close()));
    });

    async function shadowView(): Promise<ShadowView> {
      await proxy.proxy.shadow.drain();
      const response = await proxy.admin('/admin/shadow');
      expect(response.status).toBe(200);
      return (await response.json()) as ShadowView;
    }
    const routeOf = (view: ShadowView, name: string) => view.routes.find((r) => r.route === name);

    it('counts matches when the shadow answers like the primary, and exports the match rate per route', async () => {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${proxy.url}/matching/albums/7`);
        expect(await response.json()).toEqual(ALBUM);
      }
      expect(same.seen.filter((r) => r.url === '/matching/albums/7')).toHaveLength(3);
      expect(routeOf(await shadowView(), 'matching')).toMatchObject({
        compared: 3,
        matched: 3,
        differed: 0,
        matchRate: 1,
      });
      const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
      expect(metrics).toMatch(/strangler_proxy_shadow_match_ratio\{route="matching"\} 1/);
      expect(metrics).toMatch(
        /strangler_proxy_shadow_comparisons_total\{route="matching",result="match"\} 3/,
      );
    });

    it('records a differing shadow as a sample with both bodies and the correlation id, behind the admin token', async () => {
      const response = await fetch(`${proxy.url}/differing/albums/7`, {
        headers: { 'x-correlation-id': 'corr-shadow-diff-1' },
      });
      expect(await response.json()).toEqual(ALBUM);
      const view = await shadowView();
      expect(routeOf(view, 'differing')).toMatchObject({
        compared: 1,
        matched: 0,
        differed: 1,
        fields: [{ field: '$.price', count: 1 }],
      });
      const sample = view.samples.find((s) => s.correlationId === 'corr-shadow-diff-1')!;
      expect(sample).toMatchObject({
        route: 'differing',
        method: 'GET',
        path: '/differing/albums/7',
      });
      expect(sample.differences).toEqual([
        expect.objectContaining({ path: '$.price', kind: 'value', a: 12.5, b: 13 }),
      ]);
      expect(JSON.parse(sample.a.body)).toEqual(ALBUM);
      expect(JSON.parse(sample.b.body)).toEqual({ ...ALBUM, price: 13 });
      expect(
        different.seen.find((r) => r.url === '/differing/albums/7')?.headers['x-correlation-id'],
      ).toBe('corr-shadow-diff-1');
      expect((await fetch(`${proxy.adminUrl}/admin/shadow`)).status).toBe(401);
    });

    it('answers the client before the shadow upstream answered, and compares once it does', async () => {
      const answeredBefore = slowAnswers.answered();
      // The shadow upstream holds its answer until released and its timeout is 10 minutes: a proxy that waited would hang here.
      const response = await fetch(`${proxy.url}/held/albums/7`);
      expect(await response.json()).toEqual(ALBUM);
      expect(slowAnswers.answered()).toBe(answeredBefore);
      expect(proxy.proxy.shadow.results.summary().find((r) => r.route === 'held')).toBeUndefined();
      while (!slow.seen.some((r) => r.url === '/held/albums/7'))
        await new Promise((resolve) => setTimeout(resolve, 5));
      slowAnswers.release();
      expect(routeOf(await shadowView(), 'held')).toMatchObject({ compared: 1, matched: 1 });
    });

    it('drops and counts a shadow slower than its timeout, and the client gets the primary answer', async () => {
      const answeredBefore = slowAnswers.answered();
      const response = await fetch(`${proxy.url}/slow/albums/7`);
      expect(await response.json()).toEqual(ALBUM);
      expect(slowAnswers.answered()).toBe(answeredBefore);
      const view = await shadowView();
      expect(slow.seen.some((r) => r.url === '/slow/albums/7')).toBe(true);
      expect(routeOf(view, 'slow')).toMatchObject({ compared: 0, dropped: { timeout: 1 } });
      const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
      expect(metrics).toMatch(
        /strangler_proxy_shadow_dropped_total\{route="slow",reason="timeout"\} 1/,
      );
    });

    it('does not mirror a POST to an upstream that is not a sandbox, and counts it', async () => {
      const response = await fetch(`${proxy.url}/writes/orders`, {
        method: 'POST',
        body: '{"albumId":7}',
        headers: { 'content-type': 'application/json' },
      });
      expect(await response.json()).toEqual({ ...ALBUM, echoed: '{"albumId":7}' });
      expect(routeOf(await shadowView(), 'writes')).toMatchObject({
        compared: 0,
        dropped: { method: 1 },
      });
      expect(same.seen.filter((r) => r.url === '/writes/orders')).toEqual([]);
    });

    it('mirrors a POST with its body to a sandbox and compares the answers', async () => {
      const response = await fetch(`${proxy.url}/sandboxed/orders`, {
        method: 'POST',
        body: '{"albumId":7}',
        headers: { 'content-type': 'application/json' },
      });
      expect(await response.json()).toEqual({ ...ALBUM, echoed: '{"albumId":7}' });
      expect(routeOf(await shadowView(), 'sandboxed')).toMatchObject({ compared: 1, matched: 1 });
      expect(
        sandbox.seen.filter((r) => r.method === 'POST' && r.url === '/sandboxed/orders'),
      ).toHaveLength(1);
    });
  },
);
