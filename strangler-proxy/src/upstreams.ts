import type { Logger } from 'pino';
import type { RoutesFile, UpstreamSpec } from './config';
import { type BreakerState, type CircuitBreaker, createCircuitBreaker } from './circuit-breaker';
import type { ProxyMetrics } from './metrics';

export interface Upstream {
  name: string;
  spec: UpstreamSpec;
  origin: string;
  host: string;
  breaker: CircuitBreaker | null;
}

/**
 * Upstream runtime state (breakers) that outlives a reload: an upstream whose
 * URL and breaker settings did not change keeps its breaker.
 */
export class UpstreamRegistry {
  private byName = new Map<string, Upstream>();
  private readonly breakerListeners: Array<(upstream: string, state: BreakerState) => void> = [];

  constructor(
    private readonly metrics: ProxyMetrics,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current upstreams; a new map per reload, so a request can hold on to the one it started with. */
  snapshot(): ReadonlyMap<string, Upstream> {
    return this.byName;
  }

  /** Installs the upstreams of a new table; returns the origins nobody uses any more. */
  apply(config: RoutesFile): string[] {
    const next = new Map<string, Upstream>();
    for (const [name, spec] of Object.entries(config.upstreams)) {
      const previous = this.byName.get(name);
      const same =
        previous &&
        previous.spec.url === spec.url &&
        JSON.stringify(previous.spec.breaker) === JSON.stringify(spec.breaker);
      next.set(name, same ? { ...previous, spec } : this.createUpstream(name, spec));
    }
    const kept = new Set([...next.values()].map((u) => u.origin));
    const gone = [...this.byName.values()]
      .map((u) => u.origin)
      .filter((origin) => !kept.has(origin));
    this.byName = next;
    return [...new Set(gone)];
  }

  /** Called whenever an upstream's breaker changes state (after the metric and the log line). */
  onBreakerChange(listener: (upstream: string, state: BreakerState) => void): void {
    this.breakerListeners.push(listener);
  }

  private createUpstream(name: string, spec: UpstreamSpec): Upstream {
    const url = new URL(spec.url);
    const breaker =
      spec.breaker === false
        ? null
        : createCircuitBreaker(
            spec.breaker,
            (state) => {
              this.metrics.setBreakerState(name, state);
              this.logger.warn(
                { upstream: name, breaker: state },
                `circuit breaker for ${name} is ${state}`,
              );
              for (const listener of this.breakerListeners) listener(name, state);
            },
            this.now,
          );
    if (breaker) this.metrics.setBreakerState(name, 'closed');
    return { name, spec, origin: url.origin, host: url.host, breaker };
  }
}
