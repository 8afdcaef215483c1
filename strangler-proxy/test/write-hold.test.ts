import fs from 'node:fs';
import type http from 'node:http';
import { parse } from 'yaml';
import { createProxy } from '../src/create-proxy';
import { startTestProxy, type TestProxy } from './support/harness';
import { rawRequest, type RawResponse } from './support/raw-http';
import { ADMIN_TOKEN, routesDoc, writeRoutesFile } from './support/routes';
import { deadPort, startUpstream, type TestUpstream } from './support/upstream';

/** A fake service that records every write body it was sent, in arrival order. */
function recorder(name: string, bodies: string[]) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (req.method !== 'GET') bodies.push(body);
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ upstream: name, body }));
    });
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Looks again every 10 ms until `check` holds; fails naming `what` once `withinMs` ran out (a bound, not a wait). */
async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  withinMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${withinMs} ms for ${what}`);
    await sleep(10);
  }
}

describe('write holds and owner changes (the proxy side of a handover)', () => {
  let monolith: TestUpstream;
  let service: TestUpstream;
  let atMonolith: string[];
  let atService: string[];
  let proxy: TestProxy;

  beforeAll(async () => {
    atMonolith = [];
    atService = [];
    monolith = await startUpstream(recorder('monolith', atMonolith));
    service = await startUpstream(recorder('svc', atService));
  });
  beforeEach(async () => {
    atMonolith.length = 0;
    atService.length = 0;
    proxy = await startTestProxy(
      routesDoc(
        {
          monolith: { url: monolith.url },
          svc: { url: service.url, healthPath: '/health' },
        },
        [
          {
            name: 'catalog-read',
            match: { prefix: '/catalog', methods: ['GET', 'HEAD'] },
            to: 'svc',
            percent: 50,
            writes: 'catalog',
          },
          { name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith', writes: 'catalog' },
          { name: 'finance', match: { prefix: '/finance' }, to: 'monolith', writes: 'finance' },
        ],
        { dataSets: { catalog: { owner: 'monolith' }, finance: { owner: 'monolith' } } },
      ),
    );
  });
  afterEach(() => proxy.close());
  afterAll(async () => Promise.all([monolith.close(), service.close()]));

  const post = (path: string, body: string) =>
    rawRequest(proxy.url, {
      method: 'POST',
      path,
      body,
      headers: { 'content-type': 'application/json' },
    });
  const adminJson = async (path: string, method: string, body?: unknown) => {
    const res = await proxy.admin(path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  async function queuedOf(set: string): Promise<number> {
    const { body } = await adminJson('/admin/data-sets', 'GET');
    return (
      (body as unknown as Array<{ set: string; hold: { queued: number } | null }>).find(
        (d) => d.set === set,
      )!.hold?.queued ?? 0
    );
  }
  async function waitForQueued(set: string, n: number): Promise<void> {
    await waitUntil(async () => (await queuedOf(set)) >= n, `${n} queued writes of ${set}`);
    expect(await queuedOf(set)).toBe(n);
  }
  const answerOf = (res: RawResponse) => JSON.parse(res.body.toString());

  it('lists data sets with owner, write routes and hold', async () => {
    const { status, body } = await adminJson('/admin/data-sets', 'GET');
    expect(status).toBe(200);
    expect(body).toEqual([
      { set: 'catalog', owner: 'monolith', writeRoutes: ['catalog'], hold: null },
      { set: 'finance', owner: 'monolith', writeRoutes: ['finance'], hold: null },
    ]);
  });

  it('holds writes (reads and other sets pass), then releases them in order to the new owner, in one routes-file write that survives a restart', async () => {
    const hold = await adminJson('/admin/data-sets/catalog/hold', 'POST', { maxMs: 10_000 });
    expect(hold.status).toBe(200);
    expect(hold.body).toMatchObject({
      set: 'catalog',
      holdId: expect.stringMatching(/^hold-/),
      since: expect.any(String),
    });
    const answers: Array<Promise<RawResponse>> = [];
    for (let i = 0; i < 5; i++) {
      answers.push(post('/catalog/artists', `{"n":${i}}`));
      await waitForQueued('catalog', i + 1); // arrival order is the order they were sent
    }
    // Not held: reads of the held set, and writes of another set.
    expect((await rawRequest(proxy.url, { path: '/catalog/albums/1' })).status).toBe(200);
    expect((await post('/finance/payments', '{"f":1}')).status).toBe(201);
    expect(atMonolith).toEqual(['{"f":1}']);
    expect(atService).toEqual([]);
    const listed = await adminJson('/admin/data-sets', 'GET');
    expect(listed.body[0].hold).toMatchObject({
      holdId: hold.body.holdId,
      queued: 5,
      expiresAt: expect.any(String),
    });

    const owner = await adminJson('/admin/data-sets/catalog/owner', 'PUT', {
      owner: 'svc',
      holdId: hold.body.holdId,
    });
    expect(owner.status).toBe(200);
    expect(owner.body).toMatchObject({
      set: 'catalog',
      before: 'monolith',
      owner: 'svc',
      routes: [
        {
          route: 'catalog',
          before: { to: 'monolith', percent: 100 },
          after: { to: 'svc', percent: 100 },
        },
      ],
    });
    const file = parse(fs.readFileSync(proxy.file!, 'utf8'));
    expect(file.dataSets.catalog.owner).toBe('svc');
    expect(
      file.routes.map((r: { name: string; to: string; percent?: number }) => [
        r.name,
        r.to,
        r.percent ?? 100,
      ]),
    ).toEqual([
      ['catalog-read', 'svc', 50], // reads-only: untouched
      ['catalog', 'svc', 100],
      ['finance', 'monolith', 100],
    ]);

    const released = await adminJson('/admin/data-sets/catalog/hold', 'DELETE', {
      holdId: hold.body.holdId,
    });
    expect(released).toEqual({ status: 200, body: { released: 5 } });
    const results = await Promise.all(answers);
    expect(results.map((r) => [r.status, answerOf(r).upstream])).toEqual(
      Array(5).fill([201, 'svc']),
    );
    expect(atService).toEqual([0, 1, 2, 3, 4].map((i) => `{"n":${i}}`));
    expect(atMonolith).toEqual(['{"f":1}']);
    expect(await queuedOf('catalog')).toBe(0);
    expect((await post('/catalog/artists', '{"after":1}')).status).toBe(201);
    expect(atService).toHaveLength(6);

    // The owner is in the file: a restarted proxy serves the new owner.
    const saved = writeRoutesFile({});
    fs.copyFileSync(proxy.file!, saved);
    await proxy.close();
    const again = createProxy({ routesFile: saved, adminToken: ADMIN_TOKEN, watch: false });
    const running = await again.listen({ port: 0, adminPort: 0 });
    try {
      const sets = (await (
        await fetch(`${running.adminUrl}/admin/data-sets`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
      ).json()) as Array<{ set: string; owner: string }>;
      expect(sets[0]).toMatchObject({ set: 'catalog', owner: 'svc' });
      const res = await rawRequest(running.url, {
        method: 'POST',
        path: '/catalog/x',
        body: '{"restart":1}',
      });
      expect(answerOf(res).upstream).toBe('svc');
    } finally {
      await running.close();
    }
    proxy = await startTestProxy({
      version: 1,
      upstreams: { monolith: { url: monolith.url } },
      default: { to: 'monolith' },
    });
  });

  it('bounds the queue by count: past maxQueued a write is answered 503 with Retry-After and never forwarded', async () => {
    await adminJson('/admin/data-sets/catalog/hold', 'POST', { maxMs: 5_000, maxQueued: 2 });
    const waiting = [post('/catalog/a', '1'), post('/catalog/b', '2')];
    await waitForQueued('catalog', 2);
    const third = await post('/catalog/c', '3');
    expect(third.status).toBe(503);
    expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(answerOf(third).error).toMatchObject({
      code: 'ERR_WRITES_HELD',
      message: expect.stringMatching(/data set "catalog".*handed over.*not forwarded/),
    });
    await adminJson('/admin/data-sets/catalog/hold', 'DELETE');
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([201, 201]);
    expect(atMonolith).toEqual(['1', '2']);
    const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /strangler_proxy_hold_outcomes_total\{set="catalog",outcome="rejected-full"\} 1/,
    );
    expect(metrics).toMatch(
      /strangler_proxy_hold_outcomes_total\{set="catalog",outcome="released"\} 2/,
    );
    expect(metrics).toMatch(/strangler_proxy_held_requests\{set="catalog"\} 0/);
  });

  it('bounds the hold by time: when maxMs runs out the hold ends and the waiting writes get 503 + Retry-After, not the old owner', async () => {
    const started = Date.now();
    await adminJson('/admin/data-sets/catalog/hold', 'POST', { maxMs: 1_500 });
    const waiting = [post('/catalog/a', '1'), post('/catalog/b', '2')];
    await waitForQueued('catalog', 2);
    const metricsDuring = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
    expect(metricsDuring).toMatch(/strangler_proxy_held_requests\{set="catalog"\} 2/);
    const answers = await Promise.all(waiting);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_450);
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(answerOf(answer).error.code).toBe('ERR_WRITES_HELD');
    }
    expect(atMonolith).toEqual([]);
    expect(atService).toEqual([]);
    expect(await queuedOf('catalog')).toBe(0);
    expect((await adminJson('/admin/data-sets', 'GET')).body[0].hold).toBeNull();
    // The hold is over: writes flow again; releasing the expired hold by its id says it is gone.
    expect((await post('/catalog/c', '3')).status).toBe(201);
  });

  it('answers every one of 50 concurrent clients exactly once across hold, owner change and release; each 2xx was forwarded exactly once', async () => {
    let sent = 0;
    let answered = 0;
    const results: Array<Promise<{ id: string; res: RawResponse }>> = [];
    const fire = (n: number) => {
      for (let i = 0; i < n; i++) {
        const id = `w${sent++}`;
        results.push(
          post('/catalog/artists', id).then((res) => {
            answered++;
            return { id, res };
          }),
        );
      }
    };
    fire(10);
    const hold = await adminJson('/admin/data-sets/catalog/hold', 'POST', {
      maxMs: 10_000,
      maxQueued: 25,
    });
    fire(30); // some queue, some are refused past 25
    // Each of the 40 has reached the proxy once it is answered (forwarded before the hold, or
    // refused) or queued; 30 came during the hold, so the queue is full.
    await waitUntil(
      async () => answered + (await queuedOf('catalog')) === 40,
      'the 40 writes to be answered or queued',
    );
    expect(await queuedOf('catalog')).toBe(25);
    const beforeHold = atMonolith.length;
    const owner = await adminJson('/admin/data-sets/catalog/owner', 'PUT', {
      owner: 'svc',
      holdId: hold.body.holdId,
    });
    expect(owner.status).toBe(200);
    const release = adminJson('/admin/data-sets/catalog/hold', 'DELETE', {
      holdId: hold.body.holdId,
    });
    fire(10); // during the release: they queue behind the ones still waiting
    const releaseAnswer = await release;
    expect(releaseAnswer.status).toBe(200);
    expect(releaseAnswer.body.released).toBe(25);
    const all = await Promise.all(results);
    expect(all).toHaveLength(50);
    const forwarded = [...atMonolith, ...atService];
    const ok = all.filter((r) => r.res.status >= 200 && r.res.status < 300);
    const refused = all.filter((r) => r.res.status === 503);
    expect(ok.length + refused.length).toBe(50);
    expect(refused.length).toBeGreaterThanOrEqual(5); // past maxQueued
    // Of the 40 sent before the release, those neither forwarded before the hold nor queued.
    expect(all.slice(0, 40).filter((r) => r.res.status === 503)).toHaveLength(15 - beforeHold);
    for (const { id, res } of ok) {
      expect(forwarded.filter((body) => body === id)).toHaveLength(1);
      expect(answerOf(res).body).toBe(id);
    }
    for (const { id, res } of refused) {
      expect(forwarded).not.toContain(id);
      expect(res.headers['retry-after']).toBeDefined();
    }
    expect(forwarded).toHaveLength(ok.length);
    expect(new Set(forwarded).size).toBe(forwarded.length);
    // Everything sent after the owner change went to the new owner.
    expect(
      all.slice(40).every((r) => r.res.status === 503 || answerOf(r.res).upstream === 'svc'),
    ).toBe(true);
  });

  it("refuses owner changes it cannot make safely: unknown set, unknown or unreachable upstream, someone else's hold", async () => {
    expect((await adminJson('/admin/data-sets/nope/owner', 'PUT', { owner: 'svc' })).status).toBe(
      404,
    );
    const unknown = await adminJson('/admin/data-sets/catalog/owner', 'PUT', { owner: 'nobody' });
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.message).toMatch(/upstream "nobody" is not defined/);
    const hold = await adminJson('/admin/data-sets/catalog/hold', 'POST', {});
    expect((await adminJson('/admin/data-sets/catalog/hold', 'POST', {})).status).toBe(409);
    const wrongHold = await adminJson('/admin/data-sets/catalog/owner', 'PUT', {
      owner: 'svc',
      holdId: 'hold-other',
    });
    expect(wrongHold.status).toBe(409);
    expect(
      (await adminJson('/admin/data-sets/catalog/hold', 'DELETE', { holdId: 'hold-other' })).status,
    ).toBe(409);
    expect(
      (await adminJson('/admin/data-sets/catalog/hold', 'POST', { maxMs: 60_001 })).status,
    ).toBe(400);
    await adminJson('/admin/data-sets/catalog/hold', 'DELETE', { holdId: hold.body.holdId });

    const port = await deadPort();
    const before = fs.readFileSync(proxy.file!, 'utf8');
    fs.writeFileSync(proxy.file!, before.replace(service.url, `http://127.0.0.1:${port}`));
    expect(proxy.proxy.store.reload('test').ok).toBe(true);
    const unreachable = await adminJson('/admin/data-sets/catalog/owner', 'PUT', { owner: 'svc' });
    expect(unreachable.status).toBe(409);
    expect(unreachable.body.error.message).toMatch(
      /upstream "svc" cannot be reached .*ECONNREFUSED.*the owner was not changed/,
    );
    expect(parse(fs.readFileSync(proxy.file!, 'utf8')).dataSets.catalog.owner).toBe('monolith');
  });

  it('sends a released body intact with the http-proxy-3 engine too', async () => {
    await proxy.close();
    proxy = await startTestProxy(
      routesDoc(
        { monolith: monolith.url },
        [{ name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith', writes: 'catalog' }],
        {
          dataSets: { catalog: { owner: 'monolith' } },
        },
      ),
      { engine: 'http-proxy-3' },
    );
    const hold = await adminJson('/admin/data-sets/catalog/hold', 'POST', {});
    const body = JSON.stringify({ name: 'x'.repeat(50_000) });
    const waiting = post('/catalog/artists', body);
    await waitForQueued('catalog', 1);
    await adminJson('/admin/data-sets/catalog/hold', 'DELETE', { holdId: hold.body.holdId });
    const answer = await waiting;
    expect(answer.status).toBe(201);
    expect(atMonolith).toEqual([body]);
  });

  it('requires the admin token for every data-set endpoint', async () => {
    for (const [method, path] of [
      ['GET', '/admin/data-sets'],
      ['POST', '/admin/data-sets/catalog/hold'],
      ['DELETE', '/admin/data-sets/catalog/hold'],
      ['PUT', '/admin/data-sets/catalog/owner'],
    ]) {
      const res = await fetch(`${proxy.adminUrl}${path}`, {
        method,
        body: method === 'GET' ? undefined : '{"owner":"svc"}',
      });
      expect([method, path, res.status]).toEqual([method, path, 401]);
    }
    expect((await adminJson('/admin/data-sets', 'GET')).body[0]).toMatchObject({
      owner: 'monolith',
      hold: null,
    });
  });
});

describe('a hold is in force only once the writes already sent to the old owner are answered', () => {
  let monolith: TestUpstream;
  let proxy: TestProxy;
  let openGate: () => void = () => undefined;
  let received = 0;

  beforeEach(async () => {
    received = 0;
    let gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    monolith = await startUpstream((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        void gate.then(() => {
          gate = Promise.resolve();
          res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
        });
      });
    });
    proxy = await startTestProxy(
      routesDoc(
        { monolith: { url: monolith.url } },
        [{ name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith', writes: 'catalog' }],
        { dataSets: { catalog: { owner: 'monolith' } } },
      ),
    );
  });
  afterEach(async () => {
    openGate();
    await proxy.close();
    await monolith.close();
  });

  const hold = (maxMs: number) =>
    proxy.admin('/admin/data-sets/catalog/hold', {
      method: 'POST',
      body: JSON.stringify({ maxMs }),
    });
  async function whenReceived(n: number): Promise<void> {
    for (let i = 0; i < 500 && received < n; i++) await sleep(5);
    expect(received).toBe(n);
  }

  it('when a write is still running at the old owner, then the hold answers after it, not before', async () => {
    const write = rawRequest(proxy.url, { method: 'POST', path: '/catalog/artists', body: '{}' });
    await whenReceived(1);
    let holdAnswered = false;
    const held = hold(10_000).then((res) => {
      holdAnswered = true;
      return res;
    });
    await sleep(150);
    expect(holdAnswered).toBe(false);
    const inFlight = (await (await proxy.admin('/admin/data-sets')).json()) as Array<{
      hold: { inFlight: number } | null;
    }>;
    expect(inFlight[0].hold?.inFlight).toBe(1);
    openGate();
    expect((await write).status).toBe(201);
    const res = await held;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(100);
  });

  it('when the running write does not finish in half the hold time, then the hold is lifted with 503 and writes flow as before', async () => {
    const write = rawRequest(proxy.url, { method: 'POST', path: '/catalog/artists', body: '{}' });
    await whenReceived(1);
    const res = await hold(300);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'ERR_HOLD_NOT_QUIET',
    );
    const sets = (await (await proxy.admin('/admin/data-sets')).json()) as Array<{
      hold: unknown;
    }>;
    expect(sets[0].hold).toBeNull();
    openGate();
    expect((await write).status).toBe(201);
    const next = await rawRequest(proxy.url, {
      method: 'POST',
      path: '/catalog/artists',
      body: '{}',
    });
    expect(next.status).toBe(201);
  });
});

describe('a released hold ends even while clients keep writing', () => {
  let monolith: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream((req, res) => {
      req.resume();
      req.on('end', () =>
        setTimeout(() => res.writeHead(201, { 'content-type': 'application/json' }).end('{}'), 20),
      );
    });
    proxy = await startTestProxy(
      routesDoc(
        { monolith: { url: monolith.url } },
        [{ name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith', writes: 'catalog' }],
        { dataSets: { catalog: { owner: 'monolith' } } },
      ),
    );
  });
  afterAll(async () => {
    await proxy.close();
    await monolith.close();
  });

  it('when four clients write back to back through a release, then the hold is over at once and a new hold can start', async () => {
    const hold = await proxy.admin('/admin/data-sets/catalog/hold', {
      method: 'POST',
      body: JSON.stringify({ maxMs: 10_000 }),
    });
    const { holdId } = (await hold.json()) as { holdId: string };
    let writing = true;
    const statuses: number[] = [];
    const client = async () => {
      while (writing) {
        const res = await rawRequest(proxy.url, { method: 'POST', path: '/catalog/a', body: '{}' });
        statuses.push(res.status);
      }
    };
    const clients = [client(), client(), client(), client()];
    try {
      await sleep(100);
      const released = await proxy.admin('/admin/data-sets/catalog/hold', {
        method: 'DELETE',
        body: JSON.stringify({ holdId }),
      });
      expect(released.status).toBe(200);
      await sleep(300);
      const sets = (await (await proxy.admin('/admin/data-sets')).json()) as Array<{
        hold: unknown;
      }>;
      expect(sets[0].hold).toBeNull();
      const again = await proxy.admin('/admin/data-sets/catalog/hold', {
        method: 'POST',
        body: JSON.stringify({ maxMs: 10_000 }),
      });
      expect(again.status).toBe(200);
      const next = (await again.json()) as { holdId: string };
      await proxy.admin('/admin/data-sets/catalog/hold', {
        method: 'DELETE',
        body: JSON.stringify({ holdId: next.holdId }),
      });
    } finally {
      writing = false;
      await Promise.all(clients);
    }
    expect(new Set(statuses)).toEqual(new Set([201]));
  });
});
