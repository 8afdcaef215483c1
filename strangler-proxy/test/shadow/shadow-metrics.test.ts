import { Registry } from 'prom-client';
import { createShadowMetrics } from '../../src/shadow';

describe('shadow metrics', () => {
  it('exposes match ratio, comparisons and drops per route on the registry it is given', async () => {
    const registry = new Registry();
    const metrics = createShadowMetrics(registry);
    metrics.observeComparison('albums', true);
    metrics.observeComparison('albums', true);
    metrics.observeComparison('albums', false);
    metrics.observeComparison('orders', false);
    metrics.countDropped('albums', 'timeout');
    const text = await registry.metrics();
    expect(text).toContain('strangler_proxy_shadow_match_ratio{route="albums"} 0.6666666666666666');
    expect(text).toContain('strangler_proxy_shadow_match_ratio{route="orders"} 0');
    expect(text).toContain(
      'strangler_proxy_shadow_comparisons_total{route="albums",result="match"} 2',
    );
    expect(text).toContain(
      'strangler_proxy_shadow_comparisons_total{route="albums",result="differ"} 1',
    );
    expect(text).toContain(
      'strangler_proxy_shadow_dropped_total{route="albums",reason="timeout"} 1',
    );
  });
});
