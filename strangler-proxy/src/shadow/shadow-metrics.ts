import { Counter, Gauge, type Registry } from 'prom-client';

export interface ShadowMetrics {
  observeComparison(route: string, match: boolean): void;
  countDropped(route: string, reason: string): void;
}

/**
 * Prometheus metrics of the parallel run, registered on the proxy's own registry
 * (one registry per proxy instance, so tests can run several).
 */
export function createShadowMetrics(
  registry: Registry,
  prefix = 'strangler_proxy_shadow_',
): ShadowMetrics {
  const comparisons = new Counter({
    name: `${prefix}comparisons_total`,
    help: 'Shadowed requests compared with the primary answer, by route and result (match or differ)',
    labelNames: ['route', 'result'],
    registers: [registry],
  });
  const dropped = new Counter({
    name: `${prefix}dropped_total`,
    help: 'Shadow requests not compared, by route and reason (concurrency, timeout, error, method)',
    labelNames: ['route', 'reason'],
    registers: [registry],
  });
  const matchRate = new Gauge({
    name: `${prefix}match_ratio`,
    help: 'Share of compared shadow requests whose answer matched the primary, per route, since start',
    labelNames: ['route'],
    registers: [registry],
  });
  const totals = new Map<string, { compared: number; matched: number }>();
  return {
    observeComparison(route, match) {
      const total = totals.get(route) ?? { compared: 0, matched: 0 };
      total.compared += 1;
      if (match) total.matched += 1;
      totals.set(route, total);
      comparisons.inc({ route, result: match ? 'match' : 'differ' });
      matchRate.set({ route }, total.matched / total.compared);
    },
    countDropped(route, reason) {
      dropped.inc({ route, reason });
    },
  };
}
