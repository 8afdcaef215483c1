import type { NginxDataPlane } from '../../src/nginx';
import { renderNginxConfig } from '../../src/nginx';
import { rawRequest } from '../support/raw-http';
import { deadPort, echo, startUpstream, type TestUpstream } from '../support/upstream';
import { describeWithNginx, loadRoutes, nginxFor } from './support';

function routesDoc(upstreams: Record<string, string>, routeHeader?: string) {
  return loadRoutes({
    version: 1,
    ...(routeHeader && { routeHeader }),
    upstreams: Object.fromEntries(
      Object.entries(upstreams).map(([name, url]) => [name, { url, breaker: false }]),
    ),
    default: { to: 'monolith' },
    routes: [
      { name: 'catalog-read', match: { prefix: '/catalog' }, to: 'service', fallback: true },
      { name: 'gone', match: { prefix: '/gone' }, to: 'dead' },
    ],
  });
}

describe('nginx export: routeHeader', () => {
  const upstreams = { monolith: 'http://127.0.0.1:3000', service: 'http://127.0.0.1:4001' };
  const render = (routeHeader?: string) =>
    renderNginxConfig(
      loadRoutes({
        version: 1,
        ...(routeHeader && { routeHeader }),
        upstreams: Object.fromEntries(
          Object.entries(upstreams).map(([name, url]) => [name, { url, breaker: false }]),
        ),
        default: { to: 'monolith' },
      }),
      { listen: { host: '127.0.0.1', port: 8080 }, source: 'routes.yaml' },
    ).text;

  it("adds the header on every answer, hiding the upstream's own, under the lower-case name", () => {
    const text = render('X-Strangler-Route');
    expect(text).toContain('proxy_hide_header x-strangler-route;');
    expect(text).toContain('add_header x-strangler-route $strangler_route_header always;');
    expect(text).toContain('default "$strangler_route -> $strangler_served";');
  });

  it('emits nothing for it when the routes file does not name it', () => {
    expect(render()).not.toContain('strangler_route_header');
  });
});

describeWithNginx(
  'nginx data plane: routeHeader names the route and the upstream that answered',
  () => {
    let monolith: TestUpstream;
    let service: TestUpstream;
    let nginx: NginxDataPlane;
    let plain: NginxDataPlane;

    beforeAll(async () => {
      monolith = await startUpstream(echo('monolith'));
      service = await startUpstream((req, res) => {
        if (req.url?.startsWith('/catalog/broken')) return void res.writeHead(500).end();
        res.setHeader('x-strangler-route', 'forged -> elsewhere');
        echo('service')(req, res);
      });
      const upstreams = {
        monolith: monolith.url,
        service: service.url,
        dead: `http://127.0.0.1:${await deadPort()}`,
      };
      nginx = await nginxFor(routesDoc(upstreams, 'X-Strangler-Route'));
      plain = await nginxFor(routesDoc(upstreams));
    });

    afterAll(async () => {
      await Promise.all([nginx?.stop(), plain?.stop()]);
      await Promise.all([monolith?.close(), service?.close()]);
    });

    it('names the route and the upstream, replacing one the upstream sent', async () => {
      const answer = await rawRequest(nginx.url, { path: '/catalog/albums' });
      expect(answer.headers['x-strangler-route']).toBe('catalog-read -> service');
    });

    it('names the monolith after a fallback, and the default route for unrouted paths', async () => {
      const fellBack = await rawRequest(nginx.url, { path: '/catalog/broken' });
      expect(fellBack.status).toBe(200);
      expect(fellBack.headers['x-strangler-route']).toBe('catalog-read -> monolith');
      const other = await rawRequest(nginx.url, { path: '/elsewhere' });
      expect(other.headers['x-strangler-route']).toBe('default -> monolith');
    });

    it('is absent from an answer nginx made itself (no upstream answered), as in the Node proxy', async () => {
      const refused = await rawRequest(nginx.url, { path: '/gone/x' });
      expect(refused.status).toBe(502);
      expect(refused.headers['x-strangler-route']).toBeUndefined();
    });

    it('is off unless the routes file names it (and the upstream header passes through then)', async () => {
      const answer = await rawRequest(plain.url, { path: '/elsewhere' });
      expect(answer.headers['x-strangler-route']).toBeUndefined();
      const forged = await rawRequest(plain.url, { path: '/catalog/albums' });
      expect(forged.headers['x-strangler-route']).toBe('forged -> elsewhere');
    });
  },
);
