import { silentLogger } from '../../../common/src/logger';
import { createMetrics } from '../../src/metrics';
import { type AccessLogEntry, keepBreakersForNginx, renderNginxConfig } from '../../src/nginx';
import { UpstreamRegistry } from '../../src/upstreams';
import { loadRoutes } from './support';

const LISTEN = { host: '127.0.0.1', port: 8080 };
const BREAKER = { failureRate: 0.5, minRequests: 4, windowMs: 10_000, openMs: 80 };

const routes = (monolithBreaker: object | false = false) =>
  loadRoutes({
    version: 1,
    upstreams: {
      monolith: { url: 'http://127.0.0.1:3000', breaker: monolithBreaker },
      'catalog-service': { url: 'http://127.0.0.1:4001', breaker: BREAKER },
    },
    default: { to: 'monolith' },
    routes: [
      { name: 'catalog', match: { prefix: '/catalog' }, to: 'catalog-service', fallback: true },
    ],
  });

/** The named location the config sends "<route> <method>[ body] <upstream>" to. */
function locationFor(text: string, key: string): string | undefined {
  const line = text.split('\n').find((l) => l.trim().startsWith(`"${key}" `));
  return line?.trim().split(/\s+/).pop()?.replace(/;$/, '');
}

describe('nginx config with the breakers kept by the control plane', () => {
  it('when a control plane keeps the breakers, then the breaker is carried, not refused, and the header says how', () => {
    const { text, dropped } = renderNginxConfig(routes(), {
      listen: LISTEN,
      source: 'routes.yaml',
      openBreakers: new Set(),
    });
    expect(dropped).toEqual([]);
    expect(text).toContain('# Circuit breakers: kept by the control process');
    expect(text).toMatch(/^# {3}- breaker: an open breaker is answered as the Node proxy does/m);
    expect(text).not.toContain('@strangler_open_');
  });

  it('when a breaker is open, then its GET falls back at once, and a POST or a request with a body is answered 503', () => {
    const { text } = renderNginxConfig(routes(), {
      listen: LISTEN,
      source: 'routes.yaml',
      openBreakers: new Set(['catalog-service']),
    });
    expect(locationFor(text, 'catalog GET catalog-service')).toBe('@strangler_0_fallback');
    // A request with a body is never sent to a fallback (as in the Node proxy).
    expect(locationFor(text, 'catalog GET body catalog-service')).toBe(
      '@strangler_open_catalog-service',
    );
    expect(locationFor(text, 'catalog POST catalog-service')).toBe(
      '@strangler_open_catalog-service',
    );
    expect(locationFor(text, 'catalog POST body catalog-service')).toBe(
      '@strangler_open_catalog-service',
    );
    expect(text).toContain('location @strangler_open_catalog-service {');
    expect(text).toContain('ERR_UPSTREAM_UNAVAILABLE');
    expect(text).toMatch(
      /map \$strangler_upstream \$strangler_breaker_open \{\n\s+"catalog-service" 1;/,
    );
  });

  it("when the monolith's breaker is open too, then a GET has nowhere to fall back and is answered 503", () => {
    const { text } = renderNginxConfig(routes(BREAKER), {
      listen: LISTEN,
      source: 'routes.yaml',
      openBreakers: new Set(['catalog-service', 'monolith']),
    });
    expect(locationFor(text, 'catalog GET catalog-service')).toBe(
      '@strangler_open_catalog-service',
    );
    expect(text).toContain('location @strangler_open_monolith {');
  });
});

describe('nginx config with promote: auto kept by the control plane', () => {
  const promoted = loadRoutes({
    version: 1,
    upstreams: {
      monolith: { url: 'http://127.0.0.1:3000', breaker: false },
      'catalog-service': { url: 'http://127.0.0.1:4001', breaker: false },
    },
    default: { to: 'monolith' },
    routes: [
      {
        name: 'catalog',
        match: { prefix: '/catalog' },
        to: 'catalog-service',
        percent: 0,
        shadow: 'catalog-service',
        promote: 'auto',
      },
    ],
  });

  it('when the control plane has a shadow collector and keeps the breakers, then promote is carried and its difference listed', () => {
    const { text, dropped } = renderNginxConfig(promoted, {
      listen: LISTEN,
      source: 'routes.yaml',
      openBreakers: new Set(),
      shadowCollector: { host: '127.0.0.1', port: 9999, token: 'collector-token' },
    });
    expect(dropped).toEqual([]);
    expect(text).toMatch(
      /^# {3}- promote: the candidate's error rate is counted from the access log/m,
    );
  });

  it('when only the breakers are kept (no collector), then promote is still refused', () => {
    expect(() =>
      renderNginxConfig(promoted, {
        listen: LISTEN,
        source: 'routes.yaml',
        openBreakers: new Set(),
      }),
    ).toThrow(/promote \(route "catalog"\)/);
  });
});

describe('breakers kept from the nginx access log', () => {
  const entry = (status: number, extra: Partial<AccessLogEntry> = {}): AccessLogEntry => ({
    route: 'catalog',
    upstream: 'catalog-service',
    target: 'catalog-service',
    status,
    durationSeconds: 0.01,
    fellBack: false,
    retries: 0,
    targetStatuses: [status],
    fallbackStatuses: [],
    ...extra,
  });

  it('when the failure rate is reached, then the upstream is reported open, and once openMs is over, closed again after a good answer', async () => {
    const registry = new UpstreamRegistry(createMetrics(), silentLogger());
    registry.apply(routes());
    const reports: string[][] = [];
    const breakers = keepBreakersForNginx(registry, (open) => reports.push([...open]));
    try {
      for (const status of [200, 500, 500]) breakers.observe(entry(status));
      expect(reports).toEqual([]);
      // A fallback's statuses are the monolith's (no breaker here), not the target's.
      breakers.observe(
        entry(200, {
          upstream: 'monolith',
          fellBack: true,
          fallbackStatuses: [200],
          targetStatuses: [500],
        }),
      );
      expect(reports).toEqual([['catalog-service']]);
      expect(registry.snapshot().get('catalog-service')!.breaker!.state()).toBe('open');
      // Answers nginx sent while the open config was loading count for nothing.
      breakers.observe(entry(200));
      await new Promise((resolve) => setTimeout(resolve, BREAKER.openMs + 40));
      expect(reports).toEqual([['catalog-service'], []]);
      breakers.observe(entry(200));
      expect(registry.snapshot().get('catalog-service')!.breaker!.state()).toBe('closed');
    } finally {
      breakers.stop();
    }
  });

  it('when the half-open probe fails, then the upstream is reported open again', async () => {
    const registry = new UpstreamRegistry(createMetrics(), silentLogger());
    registry.apply(routes());
    const reports: string[][] = [];
    const breakers = keepBreakersForNginx(registry, (open) => reports.push([...open]));
    try {
      breakers.observe(entry(502, { targetStatuses: [502, 502, 502, 502] }));
      await new Promise((resolve) => setTimeout(resolve, BREAKER.openMs + 40));
      breakers.observe(entry(503));
      expect(reports).toEqual([['catalog-service'], [], ['catalog-service']]);
    } finally {
      breakers.stop();
    }
  });
});
