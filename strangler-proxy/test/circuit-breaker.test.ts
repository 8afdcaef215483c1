import { createCircuitBreaker, type BreakerState } from '../src/circuit-breaker';

function breakerWithClock() {
  let now = 0;
  const changes: BreakerState[] = [];
  const breaker = createCircuitBreaker(
    { failureRate: 0.5, minRequests: 4, windowMs: 1_000, openMs: 500, halfOpenRequests: 2 },
    (s) => changes.push(s),
    () => now,
  );
  return { breaker, changes, advance: (ms: number) => (now += ms) };
}

describe('circuit breaker', () => {
  it('stays closed below the minimum number of requests', () => {
    const { breaker } = breakerWithClock();
    for (let i = 0; i < 3; i++) breaker.record(breaker.tryAcquire()!, false);
    expect(breaker.state()).toBe('closed');
  });

  it('opens when the failure rate in the window reaches the threshold, and refuses requests', () => {
    const { breaker, changes } = breakerWithClock();
    breaker.record(breaker.tryAcquire()!, true);
    breaker.record(breaker.tryAcquire()!, true);
    breaker.record(breaker.tryAcquire()!, false);
    breaker.record(breaker.tryAcquire()!, false);
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBeNull();
    expect(changes).toEqual(['open']);
  });

  it('forgets failures that slid out of the window', () => {
    const { breaker, advance } = breakerWithClock();
    breaker.record('pass', false);
    breaker.record('pass', false);
    breaker.record('pass', false);
    advance(1_500);
    breaker.record('pass', false);
    expect(breaker.state()).toBe('closed');
  });

  it('half-opens after openMs, lets only the probes through, and closes when they succeed', () => {
    const { breaker, changes, advance } = breakerWithClock();
    for (let i = 0; i < 4; i++) breaker.record('pass', false);
    advance(500);
    const first = breaker.tryAcquire();
    const second = breaker.tryAcquire();
    expect([first, second]).toEqual(['probe', 'probe']);
    expect(breaker.tryAcquire()).toBeNull();
    breaker.record('probe', true);
    expect(breaker.state()).toBe('half-open');
    breaker.record('probe', true);
    expect(breaker.state()).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('when a permit is released (the client left), it counts nothing and a probe slot frees up', () => {
    const { breaker, advance } = breakerWithClock();
    breaker.release(breaker.tryAcquire()!);
    expect(breaker.snapshot()).toMatchObject({ requests: 0, failures: 0 });
    for (let i = 0; i < 4; i++) breaker.record(breaker.tryAcquire()!, false);
    advance(500);
    const probes = [breaker.tryAcquire(), breaker.tryAcquire()];
    expect(probes).toEqual(['probe', 'probe']);
    expect(breaker.tryAcquire()).toBeNull();
    breaker.release(probes[0]!);
    expect(breaker.tryAcquire()).toBe('probe');
    expect(breaker.state()).toBe('half-open');
  });

  it('opens again when a probe fails', () => {
    const { breaker, advance } = breakerWithClock();
    for (let i = 0; i < 4; i++) breaker.record('pass', false);
    advance(600);
    breaker.record(breaker.tryAcquire()!, false);
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBeNull();
  });

  it('counts exactly the requests of the last ten buckets while the window slides (steps, gaps, a jump past the window)', () => {
    let now = 0;
    // A failure rate above 1 never opens: only the counting is under test.
    const breaker = createCircuitBreaker(
      { failureRate: 2, minRequests: 1, windowMs: 1_000, openMs: 500, halfOpenRequests: 1 },
      undefined,
      () => now,
    );
    const perBucket: Array<{ requests: number; failures: number }> = [];
    const steps = [1, 1, 2, 1, 3, 1, 1, 1, 1, 1, 1, 4, 1, 12, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1];
    steps.forEach((step, i) => {
      now += step * 100;
      for (let n = 0; n < step; n++) perBucket.push({ requests: 0, failures: 0 });
      const bucket = perBucket[perBucket.length - 1];
      for (let r = 0; r < (i % 5) + 1; r++) {
        const ok = (r + i) % 3 !== 0;
        breaker.record('pass', ok);
        bucket.requests++;
        if (!ok) bucket.failures++;
      }
      const window = perBucket.slice(-10);
      expect(breaker.snapshot()).toMatchObject({
        requests: window.reduce((sum, b) => sum + b.requests, 0),
        failures: window.reduce((sum, b) => sum + b.failures, 0),
      });
    });
  });
});
