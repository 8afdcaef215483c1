import path from 'node:path';
import { loadRoutesFile } from '../src/config';
import { rawRequest } from './support/raw-http';
import { echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

describe('routeHeader: every answer names the route and the upstream that answered', () => {
  let monolith: TestUpstream;
  let service: TestUpstream;
  let proxy: TestProxy;
  let plain: TestProxy;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    service = await startUpstream((req, res) => {
      if (req.url?.startsWith('/catalog/broken')) return void res.writeHead(500).end();
      res.setHeader('x-strangler-route', 'forged -> elsewhere');
      echo('service')(req, res);
    });
    const routes = [
      { name: 'catalog-read', match: { prefix: '/catalog' }, to: 'service', fallback: true },
    ];
    const upstreams = { monolith: monolith.url, service: service.url };
    proxy = await startTestProxy(
      routesDoc(upstreams, routes, { routeHeader: 'X-Strangler-Route' }),
    );
    plain = await startTestProxy(routesDoc(upstreams, routes));
  });

  afterAll(async () => {
    await Promise.all([proxy.close(), plain.close()]);
    await Promise.all([monolith.close(), service.close()]);
  });

  it('names the route and the upstream, replacing one the upstream sent', async () => {
    const answer = await rawRequest(proxy.url, { path: '/catalog/albums' });
    expect(answer.headers['x-strangler-route']).toBe('catalog-read -> service');
  });

  it('names the monolith after a fallback, and the default route for unrouted paths', async () => {
    const fellBack = await rawRequest(proxy.url, { path: '/catalog/broken' });
    expect(fellBack.headers['x-strangler-route']).toBe('catalog-read -> monolith');
    const other = await rawRequest(proxy.url, { path: '/elsewhere' });
    expect(other.headers['x-strangler-route']).toBe('default -> monolith');
  });

  it('is off unless the routes file names it; the demo routes file turns it on', async () => {
    const answer = await rawRequest(plain.url, { path: '/elsewhere' });
    expect(answer.headers['x-strangler-route']).toBeUndefined();
    const demo = loadRoutesFile(path.join(__dirname, '..', 'routes.yaml'));
    expect(demo.routeHeader).toBe('x-strangler-route');
  });
});
