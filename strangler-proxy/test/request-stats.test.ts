import { Counter, Histogram, Registry } from 'prom-client';
import { registerRequestStats } from '../src/request-stats';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const NAMES = { counter: 'requests_total', histogram: 'request_duration_seconds' };

/** The same observations through prom-client's own Counter and Histogram: the reference text. */
function referenceRegistry(observations: Array<[string, string, string, number]>): Registry {
  const registry = new Registry();
  const labelNames = ['route', 'upstream', 'status_class'] as const;
  const counter = new Counter({
    name: NAMES.counter,
    help: 'Requests answered, by route, upstream and status class',
    labelNames,
    registers: [registry],
  });
  const histogram = new Histogram({
    name: NAMES.histogram,
    help: 'Time from request to response end',
    labelNames,
    buckets: BUCKETS,
    registers: [registry],
  });
  for (const [route, upstream, statusClass, seconds] of observations) {
    counter.inc({ route, upstream, status_class: statusClass });
    histogram.observe({ route, upstream, status_class: statusClass }, seconds);
  }
  return registry;
}

describe('request stats (the per-request counter and histogram)', () => {
  it('renders exactly the text prom-client renders for the same observations, bucket edges included', async () => {
    const observations: Array<[string, string, string, number]> = [];
    const values = [0, 0.0005, 0.001, 0.0011, 0.0025, 0.004, 0.01, 0.3, 0.9999, 1, 7, 10, 12, 60];
    const sides: Array<[string, string, string]> = [
      ['catalog', 'catalog-service', '2xx'],
      ['catalog', 'monolith', '2xx'],
      ['default', 'monolith', '5xx'],
      ['catalog', 'catalog-service', '4xx'],
    ];
    values.forEach((seconds, i) => {
      observations.push([...sides[i % sides.length], seconds]);
    });
    const registry = new Registry();
    const stats = registerRequestStats(registry, NAMES, BUCKETS);
    for (const [route, upstream, statusClass, seconds] of observations)
      stats.observe(route, upstream, statusClass, seconds);

    const ours = await registry.metrics();
    expect(ours).toBe(await referenceRegistry(observations).metrics());
    expect(ours).toContain(
      'request_duration_seconds_bucket{le="0.001",route="catalog",upstream="catalog-service",status_class="2xx"} 1',
    );
    expect(ours).toContain(
      'requests_total{route="default",upstream="monolith",status_class="5xx"} 3',
    );
  });

  it('starts from zero again when the registry is reset', async () => {
    const registry = new Registry();
    const stats = registerRequestStats(registry, NAMES, BUCKETS);
    stats.observe('catalog', 'monolith', '2xx', 0.01);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('requests_total{');
    stats.observe('catalog', 'monolith', '2xx', 0.01);
    expect(await registry.metrics()).toContain(
      'requests_total{route="catalog",upstream="monolith",status_class="2xx"} 1',
    );
  });
});
