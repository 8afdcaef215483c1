import http from 'node:http';
import { startTestProxy, type TestProxy } from './support/harness';
import { ADMIN_TOKEN, routesDoc } from './support/routes';
import { echo, startUpstream, type TestUpstream } from './support/upstream';

/** A chunked admin request (no content-length), answered or cut off. */
function chunkedPatch(adminUrl: string, path: string, body: Buffer): Promise<number> {
  const url = new URL(adminUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'PATCH',
        path,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.write(body.subarray(0, 70 * 1024));
    req.write(body.subarray(70 * 1024));
    req.end();
  });
}

describe('the admin API refuses what it would otherwise misread', () => {
  let monolith: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    proxy = await startTestProxy(
      routesDoc({ monolith: monolith.url, svc: monolith.url }, [
        { name: 'catalog-read', match: { prefix: '/catalog' }, to: 'monolith' },
      ]),
    );
  });
  afterAll(async () => {
    await proxy.close();
    await monolith.close();
  });

  it('answers 413 to a body over the limit, declared or chunked', async () => {
    const huge = JSON.stringify({ to: 'svc', pad: 'x'.repeat(100 * 1024) });
    const declared = await proxy.admin('/admin/routes/catalog-read', {
      method: 'PATCH',
      body: huge,
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string; message: string } }).error).toEqual(
      {
        code: 'ERR_BODY_TOO_LARGE',
        message: expect.stringContaining('larger than 64 KiB'),
      },
    );
    expect(
      await chunkedPatch(proxy.adminUrl, '/admin/routes/catalog-read', Buffer.from(huge)),
    ).toBe(413);
    expect(proxy.proxy.store.current().config.routes[0].to).toBe('monolith');
  });

  it('refuses an unknown field in a PATCH with 400 naming it, and changes nothing', async () => {
    const res = await proxy.admin('/admin/routes/catalog-read', {
      method: 'PATCH',
      body: JSON.stringify({ to: 'svc', percnt: 10 }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'unknown field "percnt" (did you mean "percent"?): a route change takes only "to" and "percent", e.g. {"to":"catalog-service","percent":10}',
    );
    expect(proxy.proxy.store.current().config.routes[0]).toMatchObject({
      to: 'monolith',
      percent: 100,
    });
  });
});
