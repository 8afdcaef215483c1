import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import {
  createHttpSender,
  createShadowDispatcher,
  type ResponseSnapshot,
  type ShadowRequest,
  type ShadowSend,
} from '../../src/shadow';

const get = (path = '/albums'): ShadowRequest => ({ method: 'GET', path, headers: {} });
const ok: ResponseSnapshot = { status: 200, body: 'ok' };

/** A sender whose answers the test releases by hand. */
function manualSender() {
  const pending: Array<{
    request: ShadowRequest;
    signal: AbortSignal;
    resolve: (r: ResponseSnapshot) => void;
  }> = [];
  const send: ShadowSend = (request, signal) =>
    new Promise((resolve) => pending.push({ request, signal, resolve }));
  return { send, pending };
}

describe('shadow dispatcher with fake senders', () => {
  it('returns before the candidate is even called, and reports its answer later', async () => {
    const sender = manualSender();
    const shadow = createShadowDispatcher({
      maxConcurrent: 2,
      timeoutMs: 10_000,
      send: sender.send,
    });
    const outcome = shadow.dispatch(get());
    expect(sender.pending).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sender.pending).toHaveLength(1);
    sender.pending[0].resolve(ok);
    await expect(outcome).resolves.toMatchObject({ status: 'answered', response: ok });
    expect(shadow.stats()).toMatchObject({ inFlight: 0, sent: 1, answered: 1 });
  });

  it('drops and counts requests while the concurrency cap is full, and takes new ones after', async () => {
    const sender = manualSender();
    const shadow = createShadowDispatcher({
      maxConcurrent: 2,
      timeoutMs: 10_000,
      send: sender.send,
    });
    const first = shadow.dispatch(get());
    void shadow.dispatch(get());
    await expect(shadow.dispatch(get())).resolves.toEqual({
      status: 'dropped',
      reason: 'concurrency',
      error: undefined,
    });
    await new Promise((resolve) => setImmediate(resolve));
    sender.pending[0].resolve(ok);
    await first;
    const fourth = shadow.dispatch(get());
    await new Promise((resolve) => setImmediate(resolve));
    sender.pending[1].resolve(ok);
    sender.pending[2].resolve(ok);
    await expect(fourth).resolves.toMatchObject({ status: 'answered' });
    expect(shadow.stats()).toEqual({
      inFlight: 0,
      sent: 3,
      answered: 3,
      dropped: { method: 0, concurrency: 1, timeout: 0, error: 0 },
    });
  });

  it('drops a candidate slower than the cap, aborts it and frees its slot', async () => {
    const sender = manualSender();
    const shadow = createShadowDispatcher({ maxConcurrent: 1, timeoutMs: 20, send: sender.send });
    await expect(shadow.dispatch(get())).resolves.toMatchObject({
      status: 'dropped',
      reason: 'timeout',
    });
    expect(sender.pending[0].signal.aborted).toBe(true);
    sender.pending[0].resolve(ok); // a late answer is ignored
    expect(shadow.stats()).toMatchObject({ inFlight: 0, answered: 0, dropped: { timeout: 1 } });
  });

  it('counts a failing candidate as dropped with the error, without rejecting', async () => {
    const shadow = createShadowDispatcher({
      maxConcurrent: 1,
      timeoutMs: 1000,
      send: () => {
        throw new Error('boom');
      },
    });
    const outcome = await shadow.dispatch(get());
    expect(outcome).toMatchObject({
      status: 'dropped',
      reason: 'error',
      error: { message: 'boom' },
    });
  });

  it('sends only GET and HEAD unless the candidate is a sandbox', async () => {
    const sent: string[] = [];
    const send: ShadowSend = async (request) => {
      sent.push(request.method);
      return ok;
    };
    const guarded = createShadowDispatcher({ maxConcurrent: 5, timeoutMs: 1000, send });
    const outcomes = await Promise.all(
      ['GET', 'head', 'POST', 'DELETE'].map((method) => guarded.dispatch({ ...get(), method })),
    );
    expect(outcomes.map((o) => (o.status === 'dropped' ? o.reason : o.status))).toEqual([
      'answered',
      'answered',
      'method',
      'method',
    ]);
    const sandbox = createShadowDispatcher({
      maxConcurrent: 5,
      timeoutMs: 1000,
      send,
      sandbox: true,
    });
    await expect(
      sandbox.dispatch({ ...get(), method: 'POST', body: Buffer.from('{}') }),
    ).resolves.toMatchObject({ status: 'answered' });
    expect(sent).toEqual(['GET', 'head', 'POST']);
  });
});

describe('shadow dispatcher against a real http server', () => {
  let server: http.Server;
  let origin: string;
  const seen: Array<{ method?: string; url?: string; correlation?: string; host?: string }> = [];
  const hanging: http.ServerResponse[] = [];
  let closedEarly = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        correlation: req.headers['x-correlation-id'] as string,
        host: req.headers.host,
      });
      if (req.url === '/slow') {
        hanging.push(res);
        res.on('close', () => {
          if (!res.writableEnded) closedEarly += 1;
        });
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const res of hanging) res.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the request with its headers (not the client Host) and buffers the answer', async () => {
    const shadow = createShadowDispatcher({
      maxConcurrent: 2,
      timeoutMs: 5000,
      send: createHttpSender(origin),
    });
    const outcome = await shadow.dispatch({
      method: 'GET',
      path: '/albums?page=2',
      headers: { 'x-correlation-id': 'c-42', host: 'client.example' },
    });
    expect(outcome).toMatchObject({
      status: 'answered',
      response: { status: 200, headers: { 'content-type': 'application/json' } },
    });
    expect(outcome.status === 'answered' && outcome.response.body?.toString()).toBe(
      '{"url":"/albums?page=2"}',
    );
    expect(seen.at(-1)).toEqual({
      method: 'GET',
      url: '/albums?page=2',
      correlation: 'c-42',
      host: origin.slice('http://'.length),
    });
  });

  it('gives up on a slow candidate and closes its connection', async () => {
    const shadow = createShadowDispatcher({
      maxConcurrent: 1,
      timeoutMs: 100,
      send: createHttpSender(origin),
    });
    await expect(shadow.dispatch(get('/slow'))).resolves.toMatchObject({
      status: 'dropped',
      reason: 'timeout',
    });
    await waitFor(() => closedEarly === 1);
  });

  it('refuses a target that is not origin-form, so it cannot reach another host', async () => {
    const send = createHttpSender(origin);
    await expect(send(get('http://example.com/'))).rejects.toThrow(/must start with "\/"/);
    await expect(send(get('//example.com/x'))).resolves.toMatchObject({ status: 200 });
    expect(seen.at(-1)?.url).toBe('//example.com/x');
  });

  it("sends through the caller's own connection pool when given one", async () => {
    const pool = new Pool(origin, { connections: 1 });
    try {
      const send = createHttpSender(origin, { dispatcher: pool });
      await expect(send(get('/albums'))).resolves.toMatchObject({ status: 200 });
      expect(pool.stats.connected).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('refuses answers larger than the buffer cap', async () => {
    const send = createHttpSender(origin, { maxBodyBytes: 5 });
    await expect(send(get('/albums'))).rejects.toThrow(/larger than 5 bytes/);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
