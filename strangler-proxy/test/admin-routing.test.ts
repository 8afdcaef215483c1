import { startTestProxy, type TestProxy } from './support/harness';
import { rawRequest, type RawResponse } from './support/raw-http';
import { ADMIN_TOKEN, routesDoc } from './support/routes';
import { echo, startUpstream, type TestUpstream } from './support/upstream';

const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
const errorOf = (res: RawResponse) =>
  (JSON.parse(res.body.toString()) as { error: { code: string; message: string } }).error;

describe('admin routing: paths, methods and bodies answer in one JSON shape', () => {
  let monolith: TestUpstream;
  let proxy: TestProxy;
  const call = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ) =>
    rawRequest(proxy.adminUrl, {
      method,
      path,
      body,
      headers: body === undefined ? headers : { 'content-length': `${body.length}`, ...headers },
    });

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    proxy = await startTestProxy(
      routesDoc(
        { monolith: monolith.url },
        [{ name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith', writes: 'catalog' }],
        { dataSets: { catalog: { owner: 'monolith' } } },
      ),
    );
  });
  afterAll(async () => {
    await proxy.close();
    await monolith.close();
  });

  it('answers an unknown path or method with a JSON 404 naming it, OPTIONS included', async () => {
    const outside = await call('GET', '/nope');
    expect(outside.status).toBe(404);
    expect(errorOf(outside)).toEqual({
      code: 'ERR_ADMIN_NOT_FOUND',
      message: 'no such endpoint GET /nope; see strangler-proxy/README.md',
    });
    expect(errorOf(await call('POST', '/healthz')).message).toBe(
      'no such endpoint POST /healthz; see strangler-proxy/README.md',
    );
    for (const [method, path] of [
      ['DELETE', '/admin/routes'],
      ['GET', '/admin/routes/catalog'],
      ['GET', '/admin/data-sets/catalog/hold'],
      ['OPTIONS', '/admin/routes'],
    ]) {
      const res = await call(method, path, AUTH);
      expect([res.status, res.headers.allow]).toEqual([404, undefined]);
      expect(errorOf(res)).toEqual({
        code: 'ERR_ADMIN_NOT_FOUND',
        message: `no such admin endpoint ${method} ${path}`,
      });
    }
  });

  it('asks for the token on every /admin/ path, known or not, but not on /admin itself', async () => {
    expect((await call('GET', '/admin/nope')).status).toBe(401);
    const bare = await call('GET', '/admin');
    expect([bare.status, errorOf(bare).message]).toEqual([
      404,
      'no such endpoint GET /admin; see strangler-proxy/README.md',
    ]);
  });

  it('matches paths as written: no case folding, no optional trailing slash', async () => {
    for (const path of ['/admin/routes/', '/admin/Routes', '/admin/data-sets/', '/healthz/'])
      expect((await call('GET', path, AUTH)).status).toBe(404);
    expect((await call('GET', '/HEALTHZ')).status).toBe(404);
  });

  it('resolves dot segments before the token check and the routing', async () => {
    expect((await call('GET', '/healthz/../admin/routes')).status).toBe(401);
    const status = await call('GET', '/admin/x/../status', AUTH);
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body.toString())).toMatchObject({ engine: 'undici' });
  });

  it('adds no framework headers: no x-powered-by, no etag', async () => {
    const res = await call('GET', '/admin/routes', AUTH);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await call('HEAD', '/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('15');
    expect(res.body.length).toBe(0);
  });

  it('reads any content type as JSON and says when it is not JSON', async () => {
    const notJson = await call('PATCH', '/admin/routes/catalog', AUTH, '{"to":');
    expect([notJson.status, errorOf(notJson)]).toEqual([
      400,
      { code: 'ERR_ADMIN_BAD_REQUEST', message: 'admin request body is not valid JSON' },
    ]);
    // curl -d sends application/x-www-form-urlencoded: the JSON in it is still read and checked.
    const form = await call(
      'PATCH',
      '/admin/routes/catalog',
      { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      '{"percent":"ten"}',
    );
    expect(errorOf(form).message).toBe('"percent" must be a number from 0 to 100');
    const scalar = await call('PATCH', '/admin/routes/catalog', AUTH, '5');
    expect(errorOf(scalar).message).toBe(
      'send a JSON object like {"to":"catalog-service","percent":10}',
    );
  });

  it('checks a data set named in the path, decoded, before the change', async () => {
    const unknown = await call('POST', '/admin/data-sets/catalgo/hold', AUTH, '{}');
    expect([unknown.status, errorOf(unknown)]).toEqual([
      404,
      {
        code: 'ERR_DATA_SET_UNKNOWN',
        message:
          'data set "catalgo" is not declared under dataSets in the routes file (declared: catalog)',
      },
    ]);
    const encoded = await call('PUT', '/admin/data-sets/cat%61log/owner', AUTH, '{"owner":"x"}');
    expect([encoded.status, errorOf(encoded).code]).toEqual([409, 'ERR_HOLD_CONFLICT']);
    const malformed = await call('PUT', '/admin/data-sets/%E0%A4%A/owner', AUTH, '{}');
    expect([malformed.status, errorOf(malformed).code]).toEqual([400, 'ERR_ADMIN_BAD_REQUEST']);
  });
});
