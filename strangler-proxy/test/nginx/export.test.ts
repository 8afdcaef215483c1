import { routesFileSchema } from '../../src/config-schema';
import { NginxError, renderNginxConfig } from '../../src/nginx';
import { loadRoutes } from './support';

const LISTEN = { host: '127.0.0.1', port: 8080 };

function routesWith(extra: { upstream?: object; route?: object; file?: object } = {}) {
  return loadRoutes({
    version: 1,
    upstreams: {
      monolith: { url: 'http://127.0.0.1:3000', breaker: false },
      'catalog-service': { url: 'http://127.0.0.1:4001', breaker: false, ...extra.upstream },
    },
    default: { to: 'monolith' },
    routes: [
      { name: 'catalog', match: { prefix: '/catalog' }, to: 'catalog-service', ...extra.route },
    ],
    ...extra.file,
  });
}

function refusal(routes: ReturnType<typeof routesWith>, allowDrop: string[] = []): string {
  try {
    renderNginxConfig(routes, {
      listen: LISTEN,
      source: 'routes.yaml',
      allowDrop: allowDrop as never,
    });
  } catch (error) {
    expect(error).toBeInstanceOf(NginxError);
    expect((error as NginxError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected the export to refuse');
}

describe('nginx export: what it refuses', () => {
  it('refuses a circuit breaker, naming the upstream, the reason and the way out', () => {
    const message = refusal(routesWith({ upstream: { breaker: { failureRate: 0.5 } } }));
    expect(message).toContain('breaker (upstream "catalog-service")');
    expect(message).toContain('nginx has no circuit breaker');
    expect(message).toContain('--allow-drop breaker');
  });

  it('refuses shadow and promote: auto together, each with its reason', () => {
    const message = refusal(
      routesWith({ route: { percent: 0, shadow: 'catalog-service', promote: 'auto' } }),
    );
    expect(message).toMatch(/shadow \(route "catalog"\): .*mirror/);
    expect(message).toMatch(/promote \(route "catalog"\): /);
    expect(message).toContain('--allow-drop shadow,promote');
  });

  it('exports a dropped feature the caller accepts by name, and lists it in the header', () => {
    const routes = routesWith({ upstream: { breaker: {} } });
    expect(refusal(routes, ['shadow'])).toContain('breaker');
    const { text, dropped } = renderNginxConfig(routes, {
      listen: LISTEN,
      source: 'routes.yaml',
      allowDrop: ['breaker'],
    });
    expect(dropped.map((d) => d.feature)).toEqual(['breaker']);
    expect(text).toMatch(/^# Not carried \(accepted with --allow-drop\):\n# {3}- breaker/m);
  });

  it("refuses a table that would send a data set's writes to a non-owner (the ownership rule)", () => {
    // Built past the loader (which refuses it too): the export checks the rule itself.
    const routes = routesFileSchema.parse({
      version: 1,
      upstreams: {
        monolith: { url: 'http://127.0.0.1:3000' },
        catalog: { url: 'http://127.0.0.1:4001' },
      },
      default: { to: 'monolith' },
      dataSets: { catalog: { owner: 'monolith' } },
      routes: [
        {
          name: 'catalog',
          match: { prefix: '/catalog' },
          to: 'catalog',
          percent: 10,
          writes: 'catalog',
        },
      ],
    });
    expect(() =>
      renderNginxConfig(routes, { listen: LISTEN, source: 'routes.yaml', allowDrop: ['breaker'] }),
    ).toThrow(/writes data set "catalog", owned by "monolith"/);
  });

  it('refuses a sticky cookie nginx cannot read', () => {
    const routes = routesWith({ route: { percent: 10, sticky: { cookie: 'session-id' } } });
    expect(refusal(routes)).toContain('sticky cookie "session-id" cannot be read by nginx');
  });

  it('writes the canary share with two decimals, as the Node proxy cuts it', () => {
    const { text } = renderNginxConfig(
      routesWith({ route: { percent: 33.333, sticky: { header: 'x-customer-id' } } }),
      { listen: LISTEN, source: 'routes.yaml' },
    );
    expect(text).toContain('33.33% catalog-service;');
    expect(text).toContain('default "catalog-service:$http_x_customer_id";');
  });
});
