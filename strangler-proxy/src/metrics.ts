import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerState } from './circuit-breaker';

export interface ProxyMetrics {
  registry: Registry;
  observeRequest(route: string, upstream: string, status: number, seconds: number): void;
  setBreakerState(upstream: string, state: BreakerState): void;
  countReload(result: 'applied' | 'refused'): void;
  countRetry(upstream: string): void;
  countFallback(route: string): void;
}

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function statusClassOf(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'error';
}

/** A registry per proxy instance (tests run several proxies in one process). */
export function createMetrics(): ProxyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'strangler_proxy_process_' });
  const labelNames = ['route', 'upstream', 'status_class'] as const;
  const requests = new Counter({ name: 'strangler_proxy_requests_total', help: 'Requests answered, by route, upstream and status class', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'strangler_proxy_request_duration_seconds', help: 'Time from request to response end', labelNames, registers: [registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const breaker = new Gauge({ name: 'strangler_proxy_breaker_state', help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open', labelNames: ['upstream'], registers: [registry] });
  const reloads = new Counter({ name: 'strangler_proxy_reloads_total', help: 'Routes file reloads, applied or refused', labelNames: ['result'], registers: [registry] });
  const retries = new Counter({ name: 'strangler_proxy_retries_total', help: 'Retried upstream attempts', labelNames: ['upstream'], registers: [registry] });
  const fallbacks = new Counter({ name: 'strangler_proxy_fallbacks_total', help: 'Requests answered by the monolith after the route target failed', labelNames: ['route'], registers: [registry] });
  reloads.inc({ result: 'applied' }, 0);
  reloads.inc({ result: 'refused' }, 0);

  // necessary because label lookup per request is measurable at 10k req/s: children are cached.
  const children = new Map<string, { count: () => void; observe: (v: number) => void }>();
  return {
    registry,
    observeRequest(route, upstream, status, seconds) {
      const statusClass = statusClassOf(status);
      const key = `${route}\u0000${upstream}\u0000${statusClass}`;
      let child = children.get(key);
      if (!child) {
        const counter = requests.labels(route, upstream, statusClass);
        const histogram = duration.labels(route, upstream, statusClass);
        child = { count: () => counter.inc(), observe: (v) => histogram.observe(v) };
        children.set(key, child);
      }
      child.count();
      child.observe(seconds);
    },
    setBreakerState: (upstream, state) => breaker.set({ upstream }, BREAKER_VALUE[state]),
    countReload: (result) => reloads.inc({ result }),
    countRetry: (upstream) => retries.inc({ upstream }),
    countFallback: (route) => fallbacks.inc({ route }),
  };
}
