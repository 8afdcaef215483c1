import http from 'node:http';
import zlib from 'node:zlib';
import { rawExchange, rawRequest } from './support/raw-http';
import { echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

describe('forwarding through the strangler proxy', () => {
  let monolith: TestUpstream;
  let catalog: TestUpstream;
  let special: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    catalog = await startUpstream(echo('catalog'));
    special = await startUpstream((req, res) => {
      req.resume();
      const path = req.url ?? '';
      if (path.startsWith('/special/cookies')) {
        res.writeHead(200, {
          'set-cookie': ['a=1; Path=/', 'b=2; HttpOnly'],
          connection: 'x-private-hop',
          'x-private-hop': 'secret',
          'keep-alive': 'timeout=9',
        });
        return void res.end('ok');
      }
      if (path.startsWith('/special/head')) {
        res.writeHead(200, { 'content-length': '1234', 'content-type': 'text/plain' });
        return void res.end(req.method === 'HEAD' ? undefined : 'x'.repeat(1234));
      }
      if (path.startsWith('/special/no-content')) return void res.writeHead(204).end();
      if (path.startsWith('/special/not-modified'))
        return void res.writeHead(304, { etag: '"v1"' }).end();
      if (path.startsWith('/special/chunked')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first,');
        setTimeout(() => res.end('second'), 20);
        return;
      }
      if (path.startsWith('/special/gzip')) {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
        return void res.end(zlib.gzipSync('compressed body'));
      }
      res.writeHead(404).end();
    });
    proxy = await startTestProxy(
      routesDoc(
        { monolith: monolith.url, catalog: catalog.url, special: special.url },
        [
          { name: 'catalog', match: { prefix: '/catalog' }, to: 'catalog' },
          { name: 'special', match: { prefix: '/special' }, to: 'special' },
        ],
        { limits: { maxHeaderBytes: 4096, maxBodyBytes: 1000, headersTimeoutMs: 300 } },
      ),
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), catalog.close(), special.close()]);
  });

  it('sends each route to its upstream and everything else to the monolith', async () => {
    const toCatalog = await rawRequest(proxy.url, { path: '/catalog/albums?page=2' });
    expect(JSON.parse(toCatalog.body.toString())).toMatchObject({
      upstream: 'catalog',
      url: '/catalog/albums?page=2',
    });
    const toMonolith = await rawRequest(proxy.url, { path: '/countries' });
    expect(JSON.parse(toMonolith.body.toString()).upstream).toBe('monolith');
  });

  it('sets X-Forwarded-For/Proto/Host and the upstream Host, replacing client-sent X-Forwarded-*', async () => {
    const response = await rawRequest(proxy.url, {
      path: '/catalog',
      headers: { host: 'shop.example:8080', 'x-forwarded-for': '6.6.6.6' },
    });
    const seen = JSON.parse(response.body.toString()).headers;
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe('shop.example:8080');
    expect(seen.host).toBe(new URL(catalog.url).host);
  });

  it('removes hop-by-hop request headers, including those named by Connection', async () => {
    const response = await rawRequest(proxy.url, {
      path: '/catalog',
      headers: {
        connection: 'keep-alive, x-client-hop',
        'x-client-hop': '1',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'x-kept': 'yes',
      },
    });
    const seen = JSON.parse(response.body.toString()).headers;
    expect(seen['x-client-hop']).toBeUndefined();
    expect(seen.te).toBeUndefined();
    expect(seen['keep-alive']).toBeUndefined();
    expect(seen['x-kept']).toBe('yes');
  });

  it('keeps multiple Set-Cookie headers and removes hop-by-hop response headers', async () => {
    const response = await rawRequest(proxy.url, { path: '/special/cookies' });
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(response.headers['x-private-hop']).toBeUndefined();
    expect(response.headers['keep-alive']).toBeUndefined();
  });

  it('passes HEAD through with its Content-Length and no body', async () => {
    const response = await rawRequest(proxy.url, { method: 'HEAD', path: '/special/head' });
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe('1234');
    expect(response.body.length).toBe(0);
  });

  it('passes 204 and 304 through without a body', async () => {
    expect((await rawRequest(proxy.url, { path: '/special/no-content' })).status).toBe(204);
    const notModified = await rawRequest(proxy.url, {
      path: '/special/not-modified',
      headers: { 'if-none-match': '"v1"' },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.etag).toBe('"v1"');
    expect(notModified.body.length).toBe(0);
  });

  it('streams a chunked response chunked', async () => {
    const response = await rawRequest(proxy.url, { path: '/special/chunked' });
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.body.toString()).toBe('first,second');
  });

  it('passes gzip bodies through untouched', async () => {
    const response = await rawRequest(proxy.url, {
      path: '/special/gzip',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(response.body).toString()).toBe('compressed body');
  });

  it('is not an open proxy: an absolute-form target is refused and reaches no upstream', async () => {
    const before = special.seen.length + monolith.seen.length;
    const answer = await rawExchange(
      proxy.url,
      `GET ${special.url}/special/cookies HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1.1 400/);
    expect(answer).toContain('ERR_ABSOLUTE_FORM');
    expect(special.seen.length + monolith.seen.length).toBe(before);
  });

  it('refuses CONNECT tunnels', async () => {
    const before = monolith.seen.length;
    const answer = await rawExchange(
      proxy.url,
      `CONNECT ${new URL(special.url).host} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(answer).not.toMatch(/^HTTP\/1.1 200/);
    expect(monolith.seen.length).toBe(before);
  });

  it.each([
    ['/catalog/../countries', 'monolith', '/countries'],
    ['//catalog/albums', 'catalog', '/catalog/albums'],
    ['/countries/%2e%2e/catalog/x', 'catalog', '/catalog/x'],
    ['/catalog/%2E%2E/countries', 'monolith', '/countries'],
    ['/CATALOG/Albums', 'catalog', '/CATALOG/Albums'],
    ['/%63atalog', 'catalog', '/catalog'],
  ])('hostile path %s reaches %s as %s', async (raw, upstream, seenPath) => {
    const response = await rawRequest(proxy.url, { path: raw });
    const seen = JSON.parse(response.body.toString());
    expect(seen.upstream).toBe(upstream);
    expect(seen.url).toBe(seenPath);
  });

  it.each([
    '/catalog%2f..%2fcountries',
    '/countries%2F..%2Fcatalog',
    '/catalog\\..\\countries',
    '/catalog/%00',
    '/catalog/%zz',
  ])('refuses hostile path %s with 400', async (raw) => {
    const response = await rawRequest(proxy.url, { path: raw });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body.toString()).error.code).toBe('ERR_BAD_PATH');
  });

  it('answers Expect: 100-continue itself and streams the body on', async () => {
    const url = new URL(proxy.url);
    const seen = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/catalog/upload',
          agent: false,
          headers: { expect: '100-continue', 'content-length': '5' },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(text));
        },
      );
      req.on('continue', () => req.end('hello'));
      req.on('error', reject);
    });
    const echoed = JSON.parse(seen);
    expect(echoed).toMatchObject({ upstream: 'catalog', method: 'POST' });
    expect(echoed.headers.expect).toBeUndefined();
  });

  it('answers 431 to oversized headers', async () => {
    const response = await rawRequest(proxy.url, {
      path: '/catalog',
      headers: { 'x-big': 'y'.repeat(8000) },
    });
    expect(response.status).toBe(431);
  });

  it('answers 413 to a declared body over the limit, and to a chunked one', async () => {
    const declared = await rawRequest(proxy.url, {
      method: 'POST',
      path: '/catalog',
      body: 'z'.repeat(2000),
    });
    expect(declared.status).toBe(413);
    const chunked = await rawExchange(
      proxy.url,
      `POST /catalog HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n7d0\r\n${'z'.repeat(2000)}\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1.1 413/);
  });

  it('accepts a body under the limit', async () => {
    const response = await rawRequest(proxy.url, {
      method: 'POST',
      path: '/catalog',
      body: 'small',
    });
    expect(response.status).toBe(200);
  });

  it('closes the connection of a client that sends its headers too slowly', async () => {
    const answer = await rawExchange(proxy.url, 'GET /catalog HTTP/1.1\r\nHost: x\r\n');
    expect(answer === '' || /^HTTP\/1.1 408/.test(answer)).toBe(true);
  });
});
