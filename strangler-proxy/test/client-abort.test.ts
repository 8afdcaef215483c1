import http from 'node:http';
import { ENGINES } from '../src/forwarder';
import { jsonOf } from './support/raw-http';
import { echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

/** Resolves with the value, or rejects after `ms` saying what did not happen. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]);
}

describe.each(ENGINES)('when the client leaves before the answer (engine %s)', (engine) => {
  let monolith: TestUpstream;
  let silent: TestUpstream;
  let proxy: TestProxy;
  let arrived: (() => void) | null = null;
  let aborted: (() => void) | null = null;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    // Never answers; reports when its request arrives and when the proxy gives up on it.
    silent = await startUpstream((req) => {
      req.resume();
      arrived?.();
      req.socket.once('close', () => aborted?.());
    });
    proxy = await startTestProxy(
      routesDoc(
        {
          monolith: monolith.url,
          silent: {
            url: silent.url,
            timeoutMs: 2_000,
            breaker: { failureRate: 0.5, minRequests: 1, windowMs: 60_000, openMs: 60_000 },
          },
        },
        [{ name: 'slow', match: { prefix: '/slow' }, to: 'silent' }],
      ),
      { engine },
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), silent.close()]);
  });

  it('aborts the upstream request and returns the breaker permit without counting a failure', async () => {
    const before = (await jsonOf(proxy.admin('/admin/status'))).breakers.silent;
    const sawRequest = new Promise<void>((resolve) => (arrived = resolve));
    const sawAbort = new Promise<void>((resolve) => (aborted = resolve));
    const url = new URL(proxy.url);
    const client = http.request({ host: url.hostname, port: url.port, path: '/slow/1' });
    client.on('error', () => undefined);
    client.end();
    await within(5_000, 'the upstream receiving the request', sawRequest);
    const startedAt = Date.now();
    client.destroy();
    // The upstream's timeout is 2 s: only the proxy cancelling the request closes it this soon.
    await within(1_000, 'the upstream seeing the request aborted', sawAbort);
    // Past that timeout too: a cancelled call must not turn into a timeout the breaker counts.
    await new Promise((resolve) => setTimeout(resolve, 2_500 - (Date.now() - startedAt)));
    const after = (await jsonOf(proxy.admin('/admin/status'))).breakers.silent;
    expect(after).toMatchObject({ state: 'closed', failures: before.failures });
    expect(after.failures).toBe(0);
  });
});
