import type { ProxyPlugin } from '../exchange';
import type { ProxyMetrics } from '../metrics';

/** Request count and latency histogram per route, upstream and status class. */
export function metricsPlugin(metrics: ProxyMetrics): ProxyPlugin {
  return {
    name: 'metrics',
    onFinish(exchange, seconds) {
      metrics.observeRequest(
        exchange.decision?.route.name ?? 'none',
        exchange.upstream ?? 'none',
        exchange.status,
        seconds,
      );
    },
  };
}
