import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerState } from './circuit-breaker';

export interface ProxyMetrics {
  registry: Registry;
  observeRequest(route: string, upstream: string, status: number, seconds: number): void;
  setBreakerState(upstream: string, state: BreakerState): void;
  countReload(result: 'applied' | 'refused'): void;
  countRetry(upstream: string): void;
  countFallback(route: string): void;
  /** Write requests waiting in a data set's hold (handover). */
  setHeldRequests(set: string, count: number): void;
  countHoldOutcome(set: string, outcome: HoldOutcome): void;
}

/** What became of a held write: sent on after release, or answered 503 / 413, or the client left. */
export type HoldOutcome = 'released' | 'rejected-full' | 'expired' | 'too-large' | 'abandoned';

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

export function statusClassOf(status: number): string {
  return status >= 100 && status < 600 ? STATUS_CLASSES[Math.floor(status / 100) - 1] : 'error';
}

/** A registry per proxy instance (tests run several proxies in one process). */
export function createMetrics(): ProxyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'strangler_proxy_process_' });
  const requests = new Counter({
    name: 'strangler_proxy_requests_total',
    help: 'Requests answered, by route, upstream and status class',
    labelNames: ['route', 'upstream', 'status_class'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'strangler_proxy_request_duration_seconds',
    help: 'Time from request to response end',
    labelNames: ['route', 'upstream', 'status_class'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const breaker = new Gauge({
    name: 'strangler_proxy_breaker_state',
    help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'],
    registers: [registry],
  });
  const reloads = new Counter({
    name: 'strangler_proxy_reloads_total',
    help: 'Routes file reloads, applied or refused',
    labelNames: ['result'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'strangler_proxy_retries_total',
    help: 'Retried upstream attempts',
    labelNames: ['upstream'],
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'strangler_proxy_fallbacks_total',
    help: 'Requests answered by the monolith after the route target failed',
    labelNames: ['route'],
    registers: [registry],
  });
  const held = new Gauge({
    name: 'strangler_proxy_held_requests',
    help: 'Write requests waiting in a data set hold during a handover',
    labelNames: ['set'],
    registers: [registry],
  });
  const holdOutcomes = new Counter({
    name: 'strangler_proxy_hold_outcomes_total',
    help: 'Held write requests by outcome: released (forwarded), rejected-full / expired (503, not forwarded), too-large (413), abandoned (client left)',
    labelNames: ['set', 'outcome'],
    registers: [registry],
  });
  reloads.inc({ result: 'applied' }, 0);
  reloads.inc({ result: 'refused' }, 0);

  return {
    registry,
    observeRequest(route, upstream, status, seconds) {
      const labels = { route, upstream, status_class: statusClassOf(status) };
      requests.inc(labels);
      durations.observe(labels, seconds);
    },
    setBreakerState: (upstream, state) => breaker.set({ upstream }, BREAKER_VALUE[state]),
    countReload: (result) => reloads.inc({ result }),
    countRetry: (upstream) => retries.inc({ upstream }),
    countFallback: (route) => fallbacks.inc({ route }),
    setHeldRequests: (set, count) => held.set({ set }, count),
    countHoldOutcome: (set, outcome) => holdOutcomes.inc({ set, outcome }),
  };
}
