import type { UpstreamRegistry } from '../upstreams';
import type { AccessLogEntry } from './follow-access-log';

export interface NginxBreakers {
  /** Counts one access-log entry's attempts against the breakers of the upstreams that answered them. */
  observe(entry: AccessLogEntry): void;
  stop(): void;
}

/**
 * The circuit breakers of the nginx data plane. nginx has none that behaves like
 * the Node proxy's (max_fails counts no 5xx unless the request is retried, and
 * ignores a group of one server), so the control process keeps the Node proxy's
 * own breakers, fed from nginx's access log: every attempt's status goes through
 * the breaker as a request through the Node proxy would. Whenever the set of open
 * breakers changes, `onOpenChange` receives it (the caller regenerates the nginx
 * config so those upstreams are answered as open, and reloads). After an open
 * breaker's openMs the set shrinks again, nginx sends the upstream traffic, and the
 * first halfOpenRequests answers read from the log close the breaker or reopen it.
 */
export function keepBreakersForNginx(
  upstreams: UpstreamRegistry,
  onOpenChange: (open: ReadonlySet<string>) => void,
): NginxBreakers {
  const timers = new Set<NodeJS.Timeout>();
  let reported = '';
  const report = () => {
    const open = new Set<string>();
    for (const upstream of upstreams.snapshot().values())
      if (upstream.breaker?.state() === 'open') open.add(upstream.name);
    const key = [...open].sort().join(',');
    if (key === reported) return;
    reported = key;
    onOpenChange(open);
  };
  upstreams.onBreakerChange((name, state) => {
    const spec = upstreams.snapshot().get(name)?.spec.breaker;
    if (state === 'open' && spec) {
      // Nothing asks an open breaker in nginx mode: the control plane looks again when openMs is over.
      const timer = setTimeout(() => {
        timers.delete(timer);
        report();
      }, spec.openMs);
      timer.unref();
      timers.add(timer);
    }
    report();
  });
  const count = (name: string, statuses: readonly number[]) => {
    const breaker = upstreams.snapshot().get(name)?.breaker;
    if (!breaker) return;
    for (const status of statuses) {
      // null: open, or half-open with its probes taken: an answer nginx sent meanwhile is not counted.
      const permit = breaker.tryAcquire();
      if (permit === null) return;
      breaker.record(permit, status < 500);
    }
  };
  return {
    observe(entry) {
      count(entry.target, entry.targetStatuses);
      if (entry.fellBack) count(entry.upstream, entry.fallbackStatuses);
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
