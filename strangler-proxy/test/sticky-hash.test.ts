import { BUCKETS, bucketOf, isInCanary } from '../src/sticky-hash';

describe('sticky hashing', () => {
  it.each([1, 10, 25, 50, 90])('puts %i%% of 10,000 keys on the canary, within ±2%%', (percent) => {
    let inCanary = 0;
    for (let i = 0; i < 10_000; i++)
      if (isInCanary(bucketOf('catalog-service', `user-${i}`), percent)) inCanary++;
    expect(Math.abs(inCanary / 10_000 - percent / 100)).toBeLessThanOrEqual(0.02);
  });

  it('spreads uuid-like keys as well as sequential ones', () => {
    let inCanary = 0;
    for (let i = 0; i < 10_000; i++)
      if (isInCanary(bucketOf('finance-service', `${(i * 2654435761) % 4294967296}-a1b2`), 50))
        inCanary++;
    expect(Math.abs(inCanary / 10_000 - 0.5)).toBeLessThanOrEqual(0.02);
  });

  it('never moves a user back to the monolith when the percent goes up', () => {
    for (let i = 0; i < 2_000; i++) {
      const bucket = bucketOf('catalog-service', `user-${i}`);
      if (isInCanary(bucket, 10)) expect(isInCanary(bucket, 50)).toBe(true);
    }
  });

  it('is deterministic and bounded', () => {
    expect(bucketOf('a', 'k')).toBe(bucketOf('a', 'k'));
    const bucket = bucketOf('a', 'k');
    expect(bucket).toBeGreaterThanOrEqual(0);
    expect(bucket).toBeLessThan(BUCKETS);
  });
});
