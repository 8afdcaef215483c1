import fs from 'node:fs';
import path from 'node:path';
import { parseRoutesText } from '../src/config';
import { SESSION_COOKIE } from '../src/dashboard';
import { startTestProxy, type TestProxy } from './support/harness';
import { rawRequest } from './support/raw-http';
import { ADMIN_TOKEN, routesDoc, writeRoutesFile } from './support/routes';
import { echo, startUpstream, type TestUpstream } from './support/upstream';

const SHIPPED = path.resolve(__dirname, '..', 'routes.yaml');
const UPSTREAMS = {
  monolith: 'http://127.0.0.1:1',
  catalog: { url: 'http://127.0.0.1:2', serves: ['/catalog', '/v2/catalog'] },
  finance: { url: 'http://127.0.0.1:3', serves: ['/finance'] },
  tenants: { url: 'http://127.0.0.1:4', serves: ['/tenants/:id/settings'] },
};

function refusal(routes: unknown[]): string | null {
  try {
    parseRoutesText(JSON.stringify(routesDoc(UPSTREAMS, routes)), 'routes.json');
    return null;
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
}

describe('upstreams declare the path prefixes they serve (serves:)', () => {
  it('accepts routes under a served prefix, by segments, with :params in serves matching anything', () => {
    expect(
      refusal([
        { name: 'a', match: { prefix: '/catalog' }, to: 'catalog' },
        { name: 'b', match: { path: '/CATALOG/albums/:id' }, to: 'catalog' },
        { name: 'c', match: { prefix: '/v2/catalog/albums' }, to: 'catalog' },
        { name: 'd', match: { prefix: '/finance' }, to: 'monolith' },
        { name: 'e', match: { prefix: '/tenants/:t/settings/theme' }, to: 'tenants' },
      ]),
    ).toBeNull();
  });

  it('refuses a route sent (to or shadow) to an upstream that does not serve it, naming the file, the route, the reason and who can', () => {
    expect(refusal([{ name: 'catalog-read', match: { prefix: '/catalog' }, to: 'finance' }])).toBe(
      'ERR_ROUTE_NOT_SERVED: routes.json: route "catalog-read": field "to": upstream "finance" does not serve /catalog (it serves: /finance); this table is refused, the current one keeps serving. Fix: send the route to an upstream that serves /catalog (monolith, catalog), or add the prefix to upstreams.finance.serves if it does serve it',
    );
    // Segment-wise: /catalogue is not under /catalog; a route wider than the prefix is not served.
    expect(refusal([{ name: 'x', match: { prefix: '/catalogue' }, to: 'catalog' }])).toMatch(
      /does not serve \/catalogue/,
    );
    expect(refusal([{ name: 'x', match: { prefix: '/' }, to: 'catalog' }])).toMatch(
      /does not serve \//,
    );
    expect(refusal([{ name: 'x', match: { prefix: '/tenants/:t' }, to: 'tenants' }])).toMatch(
      /does not serve \/tenants\/:t/,
    );
    expect(
      refusal([{ name: 'x', match: { prefix: '/catalog' }, to: 'monolith', shadow: 'finance' }]),
    ).toMatch(/field "shadow.upstream": upstream "finance" does not serve \/catalog/);
  });

  it('names a malformed served prefix', () => {
    const doc = routesDoc({
      monolith: 'http://127.0.0.1:1',
      bad: { url: 'http://127.0.0.1:2', serves: ['/a//b'] },
    });
    expect(() => parseRoutesText(JSON.stringify(doc), 'routes.json')).toThrow(
      /upstream "bad": field "serves\[0\]": "\/a\/\/b" has an empty segment/,
    );
  });

  it("declares MusicCorp's services in the shipped routes file", () => {
    const shipped = parseRoutesText(fs.readFileSync(SHIPPED, 'utf8'), SHIPPED);
    expect(shipped.upstreams['catalog-service'].serves).toEqual(['/catalog', '/v2/catalog']);
    expect(shipped.upstreams['finance-service'].serves).toEqual(['/finance']);
    expect(shipped.upstreams.monolith.serves).toBeUndefined();
  });
});

describe('every way to change the table refuses a flip to an upstream that cannot serve the route', () => {
  let monolith: TestUpstream;
  let finance: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    finance = await startUpstream(echo('finance-service'));
    const file = writeRoutesFile({});
    fs.writeFileSync(
      file,
      fs
        .readFileSync(SHIPPED, 'utf8')
        .replace('http://127.0.0.1:3000', monolith.url)
        .replace('http://127.0.0.1:4002', finance.url)
        .replace(/^contracts: .*$/m, ''),
    );
    proxy = await startTestProxy({}, { routesFile: file });
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), finance.close()]);
  });

  const readGoesTo = async () =>
    JSON.parse((await rawRequest(proxy.url, { path: '/catalog/albums' })).body.toString()).upstream;

  it('the admin API answers 409 with the reason; the file and the traffic are unchanged', async () => {
    const before = fs.readFileSync(proxy.file!, 'utf8');
    const res = await proxy.admin('/admin/routes/catalog-read', {
      method: 'PATCH',
      body: JSON.stringify({ to: 'finance-service' }),
    });
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('ERR_ROUTE_NOT_SERVED');
    expect(error.message).toContain(
      'upstream "finance-service" does not serve /catalog (it serves: /finance)',
    );
    expect(fs.readFileSync(proxy.file!, 'utf8')).toBe(before);
    expect(await readGoesTo()).toBe('monolith');
  });

  it("the dashboard's flip gets the same 409 and reason", async () => {
    const login = await fetch(`${proxy.adminUrl}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: proxy.adminUrl },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    });
    const cookie = `${SESSION_COOKIE}=${/strangler_session=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')?.[1]}`;
    const page = await (await fetch(`${proxy.adminUrl}/dashboard`, { headers: { cookie } })).text();
    const csrf = /name="strangler-csrf" content="([^"]+)"/.exec(page)![1];
    const res = await fetch(`${proxy.adminUrl}/dashboard/api/admin/routes/catalog-read`, {
      method: 'PATCH',
      headers: { cookie, 'x-strangler-csrf': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'finance-service', percent: 10 }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      'does not serve /catalog',
    );
    expect(await readGoesTo()).toBe('monolith');
  });
});
