import type { BreakerSpec } from './config';

export type BreakerState = 'closed' | 'open' | 'half-open';
/** What `tryAcquire` granted: a normal pass, a half-open probe, or nothing (open). */
export type Permit = 'pass' | 'probe' | null;

export interface CircuitBreaker {
  tryAcquire(): Permit;
  record(permit: Exclude<Permit, null>, ok: boolean): void;
  /** Gives a permit back without an outcome (the client left before the upstream answered). */
  release(permit: Exclude<Permit, null>): void;
  state(): BreakerState;
  snapshot(): { state: BreakerState; failures: number; requests: number; openedAt: number | null };
}

const BUCKETS = 10;

/**
 * Opens when, inside a sliding window (10 buckets), at least `minRequests`
 * requests were seen and the failure share reached `failureRate`. After
 * `openMs` it lets `halfOpenRequests` probes through: all succeed → closed,
 * one fails → open again.
 */
export function createCircuitBreaker(
  spec: BreakerSpec,
  onChange: (state: BreakerState) => void = () => undefined,
  now: () => number = Date.now,
): CircuitBreaker {
  const bucketMs = Math.max(1, Math.floor(spec.windowMs / BUCKETS));
  const requests = new Array<number>(BUCKETS).fill(0);
  const failures = new Array<number>(BUCKETS).fill(0);
  // Running sums of the window: record() runs for every request, so the buckets are never summed.
  let windowRequests = 0;
  let windowFailures = 0;
  let bucketStart = now();
  let cursor = 0;
  let current: BreakerState = 'closed';
  let openedAt: number | null = null;
  let probesInFlight = 0;
  let probesPassed = 0;

  function advance(): void {
    const t = now();
    let steps = Math.floor((t - bucketStart) / bucketMs);
    if (steps <= 0) return;
    bucketStart += steps * bucketMs;
    for (steps = Math.min(steps, BUCKETS); steps > 0; steps--) {
      cursor = (cursor + 1) % BUCKETS;
      windowRequests -= requests[cursor];
      windowFailures -= failures[cursor];
      requests[cursor] = 0;
      failures[cursor] = 0;
    }
  }

  function move(next: BreakerState): void {
    if (next === current) return;
    current = next;
    openedAt = next === 'open' ? now() : openedAt;
    probesInFlight = 0;
    probesPassed = 0;
    if (next === 'closed') {
      requests.fill(0);
      failures.fill(0);
      windowRequests = 0;
      windowFailures = 0;
      openedAt = null;
    }
    onChange(next);
  }

  return {
    tryAcquire() {
      if (current === 'open' && openedAt !== null && now() - openedAt >= spec.openMs)
        move('half-open');
      if (current === 'closed') return 'pass';
      if (current === 'half-open' && probesInFlight < spec.halfOpenRequests) {
        probesInFlight++;
        return 'probe';
      }
      return null;
    },
    record(permit, ok) {
      if (permit === 'probe') {
        if (current !== 'half-open') return;
        if (!ok) return move('open');
        probesPassed++;
        if (probesPassed >= spec.halfOpenRequests) move('closed');
        return;
      }
      if (current !== 'closed') return;
      advance();
      requests[cursor]++;
      windowRequests++;
      if (!ok) {
        failures[cursor]++;
        windowFailures++;
      }
      if (windowRequests >= spec.minRequests && windowFailures / windowRequests >= spec.failureRate)
        move('open');
    },
    release(permit) {
      if (permit === 'probe' && current === 'half-open' && probesInFlight > 0) probesInFlight--;
    },
    state: () => {
      if (current === 'open' && openedAt !== null && now() - openedAt >= spec.openMs)
        return 'half-open';
      return current;
    },
    snapshot() {
      advance();
      return { state: this.state(), failures: windowFailures, requests: windowRequests, openedAt };
    },
  };
}
