import { createMetrics } from '../src/metrics';

describe('per-request metrics (what /metrics and the dashboard read)', () => {
  it('counts requests and their durations by route, upstream and status class', async () => {
    const metrics = createMetrics();
    metrics.observeRequest('catalog', 'catalog-service', 200, 0.001);
    metrics.observeRequest('catalog', 'catalog-service', 204, 0.3);
    metrics.observeRequest('default', 'monolith', 503, 12);
    metrics.observeRequest('default', 'monolith', 0, 0.01);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'strangler_proxy_requests_total{route="catalog",upstream="catalog-service",status_class="2xx"} 2',
    );
    expect(text).toContain(
      'strangler_proxy_requests_total{route="default",upstream="monolith",status_class="5xx"} 1',
    );
    expect(text).toContain(
      'strangler_proxy_requests_total{route="default",upstream="monolith",status_class="error"} 1',
    );
    // Bucket edges are inclusive; the +Inf bucket holds everything.
    expect(text).toContain(
      'strangler_proxy_request_duration_seconds_bucket{le="0.001",route="catalog",upstream="catalog-service",status_class="2xx"} 1',
    );
    expect(text).toContain(
      'strangler_proxy_request_duration_seconds_bucket{le="0.25",route="catalog",upstream="catalog-service",status_class="2xx"} 1',
    );
    expect(text).toContain(
      'strangler_proxy_request_duration_seconds_bucket{le="10",route="default",upstream="monolith",status_class="5xx"} 0',
    );
    expect(text).toContain(
      'strangler_proxy_request_duration_seconds_bucket{le="+Inf",route="default",upstream="monolith",status_class="5xx"} 1',
    );
    expect(text).toContain(
      'strangler_proxy_request_duration_seconds_sum{route="catalog",upstream="catalog-service",status_class="2xx"} 0.301',
    );
    expect(text).toContain(
      'strangler_proxy_request_duration_seconds_count{route="default",upstream="monolith",status_class="5xx"} 1',
    );
  });

  it('starts from zero again when the registry is reset', async () => {
    const metrics = createMetrics();
    metrics.observeRequest('catalog', 'monolith', 200, 0.01);
    metrics.registry.resetMetrics();
    expect(await metrics.registry.metrics()).not.toContain('strangler_proxy_requests_total{');
    metrics.observeRequest('catalog', 'monolith', 200, 0.01);
    expect(await metrics.registry.metrics()).toContain(
      'strangler_proxy_requests_total{route="catalog",upstream="monolith",status_class="2xx"} 1',
    );
  });
});
