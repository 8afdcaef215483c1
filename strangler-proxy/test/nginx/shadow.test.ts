import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { RunningNginxProxy } from '../../src/nginx';
import type { ShadowView } from '../../src/dashboard';
import { ADMIN_TOKEN } from '../support/routes';
import { startUpstream, type TestUpstream } from '../support/upstream';
import {
  describeWithNginx,
  eventually,
  type NginxProxyUnderTest,
  startNginxProxyOn,
} from './support';

/** Answers `{ id, name }` as JSON, after `delayMs`. */
function album(name: string, delayMs = 0) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    const timer = setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 7, name }));
    }, delayMs);
    res.on('close', () => clearTimeout(timer));
  };
}

describeWithNginx('proxy start --engine nginx: shadow through the collector', () => {
  let monolith: TestUpstream;
  let same: TestUpstream;
  let different: TestUpstream;
  let slow: TestUpstream;
  let sandbox: TestUpstream;
  let broken: TestUpstream;
  let stack: NginxProxyUnderTest;
  let dir: string;
  let proxy: RunningNginxProxy;

  beforeAll(async () => {
    monolith = await startUpstream(album('Blue Train'));
    same = await startUpstream(album('Blue Train'));
    different = await startUpstream(album('Giant Steps'));
    slow = await startUpstream(album('Blue Train', 3_000));
    sandbox = await startUpstream(album('Blue Train'));
    // Down, but on a port of ours: a port only found free may be another test's by the time it is asked.
    broken = await startUpstream((req) => req.socket.destroy());
    const upstream = (url: string) => ({ url, breaker: false });
    const route = (name: string, shadow: unknown) => ({
      name,
      match: { prefix: `/${name}` },
      to: 'monolith',
      shadow,
    });
    stack = await startNginxProxyOn({
      version: 1,
      upstreams: {
        monolith: upstream(monolith.url),
        same: upstream(same.url),
        different: upstream(different.url),
        slow: upstream(slow.url),
        down: upstream(broken.url),
        sandbox: { ...upstream(sandbox.url), sandbox: true },
      },
      default: { to: 'monolith' },
      routes: [
        route('matching', 'same'),
        route('differing', 'different'),
        route('never', { upstream: 'same', percent: 0 }),
        route('slow', { upstream: 'slow', timeoutMs: 200 }),
        route('down', 'down'),
        route('sandboxed', { upstream: 'sandbox', sandbox: true }),
      ],
    });
    proxy = stack.proxy;
    dir = stack.dir;
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all([monolith, same, different, slow, sandbox, broken].map((u) => u?.close()));
  });

  const shadowView = async (): Promise<ShadowView> =>
    (await fetch(`${proxy.adminUrl}/admin/shadow`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((r) => r.json())) as ShadowView;
  const routeOf = (view: ShadowView, name: string) => view.routes.find((r) => r.route === name);
  const get = async (p: string, headers: Record<string, string> = {}) => {
    const started = performance.now();
    const reply = await fetch(`${proxy.url}${p}`, { headers });
    return { status: reply.status, body: await reply.json(), ms: performance.now() - started };
  };

  it('records a differing candidate as a mismatch, with the field and the correlation ID', async () => {
    const reply = await get('/differing/7', { 'x-correlation-id': 'shadow-check-1' });
    expect(reply.body).toEqual({ id: 7, name: 'Blue Train' });
    const view = await eventually(shadowView, (v) => routeOf(v, 'differing')?.compared === 1);
    expect(routeOf(view, 'differing')).toMatchObject({ compared: 1, differed: 1, matched: 0 });
    const sample = view.samples.find((s) => s.route === 'differing')!;
    expect(sample).toMatchObject({
      method: 'GET',
      path: '/differing/7',
      correlationId: 'shadow-check-1',
    });
    expect(sample.differences).toEqual([
      expect.objectContaining({ path: '$.name', a: 'Blue Train', b: 'Giant Steps' }),
    ]);
    // The candidate got the copy, and the primary was read a second time, both with the client's ID.
    expect(different.seen.map((s) => s.headers['x-correlation-id'])).toEqual(['shadow-check-1']);
    const primaryReads = monolith.seen.filter((s) => s.url === '/differing/7');
    expect(primaryReads.map((s) => s.headers['x-correlation-id'])).toEqual([
      'shadow-check-1',
      'shadow-check-1',
    ]);
    expect(different.seen[0].headers['x-strangler-shadow-token']).toBeUndefined();
  });

  it('counts a matching candidate as matches, GET and HEAD, never a write', async () => {
    for (let i = 0; i < 3; i++) await get(`/matching/${i}`);
    await fetch(`${proxy.url}/matching/head`, { method: 'HEAD' });
    const post = await fetch(`${proxy.url}/matching/new`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(200);
    const view = await eventually(shadowView, (v) => routeOf(v, 'matching')?.compared === 4);
    expect(routeOf(view, 'matching')).toMatchObject({ compared: 4, matched: 4, differed: 0 });
    expect(same.seen.filter((s) => s.method === 'POST')).toEqual([]);
  });

  it('mirrors nothing at percent 0', async () => {
    for (let i = 0; i < 5; i++) await get(`/never/${i}`);
    await get('/matching/after-never'); // a later copy, so the copies of /never had their chance
    await eventually(shadowView, (v) => routeOf(v, 'matching')?.compared === 5);
    expect(same.seen.filter((s) => s.url.startsWith('/never'))).toEqual([]);
    expect(routeOf(await shadowView(), 'never')).toBeUndefined();
  });

  it('answers the client at once when the candidate is slow, and counts the timeout', async () => {
    const reply = await get('/slow/1');
    expect(reply.body).toEqual({ id: 7, name: 'Blue Train' });
    expect(reply.ms).toBeLessThan(1_000);
    const view = await eventually(shadowView, (v) => routeOf(v, 'slow')?.dropped.timeout === 1);
    expect(routeOf(view, 'slow')).toMatchObject({ compared: 0, dropped: { timeout: 1 } });
  });

  it('answers the client when the candidate is down, and counts the error', async () => {
    const reply = await get('/down/1');
    expect(reply).toMatchObject({ status: 200, body: { id: 7, name: 'Blue Train' } });
    const view = await eventually(shadowView, (v) => routeOf(v, 'down')?.dropped.error === 1);
    expect(routeOf(view, 'down')).toMatchObject({ compared: 0, dropped: { error: 1 } });
  });

  it('sends a write to a sandbox candidate with its body, counted but not compared', async () => {
    const body = JSON.stringify({ name: 'Moanin' });
    const reply = await fetch(`${proxy.url}/sandboxed/new`, { method: 'POST', body });
    expect(reply.status).toBe(200);
    await reply.arrayBuffer();
    const view = await eventually(
      shadowView,
      (v) => routeOf(v, 'sandboxed')?.dropped['uncompared-write'] === 1,
    );
    expect(routeOf(view, 'sandboxed')).toMatchObject({ compared: 0 });
    expect(sandbox.seen).toEqual([
      expect.objectContaining({ method: 'POST', url: '/sandboxed/new' }),
    ]);
    expect(sandbox.seen[0].headers['content-length']).toBe(String(body.length));
    // The primary took the write once: it is never read again.
    expect(monolith.seen.filter((s) => s.url === '/sandboxed/new')).toHaveLength(1);
  });

  it('keeps the access log naming the upstream that served the client', async () => {
    await get('/matching/logged');
    const log = path.join(dir, 'nginx', 'access.log');
    const line = await eventually(
      async () =>
        (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '')
          .split('\n')
          .find((l) => l.includes('/matching/logged')),
      (l) => l !== undefined,
    );
    expect(JSON.parse(line!)).toMatchObject({
      route: 'matching',
      upstream: 'monolith',
      status: 200,
    });
  });
});
