import { renderNginxConfig } from '../../src/nginx';
import { loadRoutes } from './support';

const LISTEN = { host: '127.0.0.1', port: 8080 };
const COLLECTOR = { host: '127.0.0.1', port: 9911, token: 'a'.repeat(48) };

function render(route: object, collector: typeof COLLECTOR | null = COLLECTOR) {
  const routes = loadRoutes({
    version: 1,
    upstreams: {
      monolith: { url: 'http://127.0.0.1:3000', breaker: false },
      'catalog-service': { url: 'http://127.0.0.1:4001', breaker: false, sandbox: true },
    },
    default: { to: 'monolith' },
    routes: [{ name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith', ...route }],
  });
  return renderNginxConfig(routes, {
    listen: LISTEN,
    source: 'routes.yaml',
    shadowCollector: collector ?? undefined,
  }).text;
}

/** The text of the location that starts with `opening`. */
function block(text: string, opening: string): string {
  const start = text.indexOf(opening);
  expect(start).toBeGreaterThanOrEqual(0);
  // Locations sit in the server block, inside http: their closing brace is indented by 4.
  return text.slice(start, text.indexOf('\n    }', start));
}

describe('nginx export: shadow through the collector', () => {
  it('mirrors GET/HEAD of the route to an internal location that passes route, primary, correlation ID and token', () => {
    const text = render({ shadow: 'catalog-service' });
    const primary = block(text, 'location @strangler_0_monolith {');
    expect(primary).toContain('mirror /_strangler_shadow_0;');
    expect(primary).toContain('mirror_request_body off;');
    const mirror = block(text, 'location = /_strangler_shadow_0 {');
    expect(mirror).toContain('internal;');
    expect(mirror).toContain('proxy_pass http://strangler_shadow_collector$request_uri;');
    expect(mirror).toContain('proxy_set_header X-Correlation-Id $strangler_correlation_id;');
    expect(mirror).toContain('proxy_set_header X-Strangler-Shadow-Route "catalog";');
    expect(mirror).toContain('proxy_set_header X-Strangler-Shadow-Primary $strangler_served;');
    expect(mirror).toContain(`proxy_set_header X-Strangler-Shadow-Token "${COLLECTOR.token}";`);
    expect(mirror).toContain('proxy_connect_timeout 100ms;');
    expect(text).toContain('server 127.0.0.1:9911 max_fails=0;');
    expect(text).toMatch(
      /map \$request_method \$strangler_shadow_skip_0 \{\n\s+"~\^\(\?:GET\|HEAD\)\$" 0;/,
    );
    // The copy must not reset the client's request's variables (they are shared).
    expect(text).toMatch(
      /if \(\$uri ~ "\^\/_strangler_shadow_"\) \{\n\s+break;\n\s+\}\n\s+set \$strangler_served "";/,
    );
  });

  it('lists the differences of the replayed comparison in the header', () => {
    const text = render({ shadow: 'catalog-service' });
    expect(text).toMatch(/^# {3}- shadow: the collector reads the primary a second time/m);
    expect(text).toContain('# Shadow traffic: `mirror` sends a copy');
    expect(render({})).not.toContain('shadow:');
  });

  it('does not mirror what a canary already sends to the candidate', () => {
    const text = render({ to: 'catalog-service', percent: 30, shadow: 'catalog-service' });
    expect(block(text, 'location @strangler_0_monolith {')).toContain(
      'mirror /_strangler_shadow_0;',
    );
    expect(block(text, 'location @strangler_0_catalog-service {')).not.toContain('mirror');
  });

  it('samples shadow.percent from the top of the draw, per user on a sticky route', () => {
    const random = render({ shadow: { upstream: 'catalog-service', percent: 25 } });
    expect(random).toMatch(
      /split_clients "\$request_id" \$strangler_shadow_draw_0 \{\n\s+75\.00% 0;\n\s+\* 1;/,
    );
    expect(random).toContain('"~^(?:GET|HEAD) 1$" 0;');
    const sticky = render({
      sticky: { header: 'X-Customer-Id' },
      shadow: { upstream: 'catalog-service', percent: 10 },
    });
    expect(sticky).toContain('default "catalog-service:$http_x_customer_id";');
    expect(sticky).toMatch(
      /split_clients "\$strangler_shadow_key_0" \$strangler_shadow_draw_0 \{\n\s+90\.00% 0;/,
    );
  });

  it('mirrors nothing at percent 0, and every method with its body to a sandbox', () => {
    const none = render({ shadow: { upstream: 'catalog-service', percent: 0 } });
    expect(none).not.toContain('mirror');
    expect(none).not.toContain('strangler_shadow_collector');
    const sandbox = render({ shadow: { upstream: 'catalog-service', sandbox: true } });
    expect(sandbox).toContain('mirror_request_body on;');
    expect(sandbox).toContain('"~^\\\\S+$" 0;');
  });

  it('still refuses shadow without a collector (a config exported to run elsewhere)', () => {
    expect(() => render({ shadow: 'catalog-service' }, null)).toThrow(
      /shadow \(route "catalog"\): .*shadow collector/,
    );
  });
});
