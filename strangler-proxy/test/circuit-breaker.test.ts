import { createCircuitBreaker, BreakerState } from '../src/circuit-breaker';

function breakerWithClock() {
  let now = 0;
  const changes: BreakerState[] = [];
  const breaker = createCircuitBreaker({ failureRate: 0.5, minRequests: 4, windowMs: 1_000, openMs: 500, halfOpenRequests: 2 }, (s) => changes.push(s), () => now);
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

  it('opens again when a probe fails', () => {
    const { breaker, advance } = breakerWithClock();
    for (let i = 0; i < 4; i++) breaker.record('pass', false);
    advance(600);
    breaker.record(breaker.tryAcquire()!, false);
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBeNull();
  });
});
