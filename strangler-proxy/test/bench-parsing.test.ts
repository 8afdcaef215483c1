import { closedLoopGenerator, pairedDifference, pairedRatio, parseWrk } from '../bench/closed-loop';
import { probeStalls, summariseStalls } from '../bench/stall-probe';

const WRK = `Running 10s test @ http://127.0.0.1:39017/catalog/albums/1
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.12ms    3.05ms  41.31ms   82.50%
    Req/Sec     7.09k   512.33     7.90k    71.00%
  Latency Distribution
     50%  850.00us
     75%    8.10ms
     90%   10.22ms
     99%    1.20s
  70612 requests in 10.00s, 15.69MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   7059.88
Transfer/sec:      1.57MB
`;

describe('bench:proxy reads wrk reports', () => {
  it('turns wrk latency units (us, ms, s) into ms and counts socket errors and non-2xx answers', () => {
    expect(parseWrk(WRK)).toEqual({ rps: 7059.88, total: 70612, p50: 0.85, p99: 1200, errors: 9 });
  });

  it('refuses a report it cannot read instead of printing zeros', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(
      /wrk output/,
    );
  });

  it('names the load generators it knows when BENCH_LOAD_GENERATOR is wrong, and honours autocannon', () => {
    expect(() => closedLoopGenerator('ab')).toThrow(
      'BENCH_LOAD_GENERATOR="ab" is not known: use wrk or autocannon',
    );
    expect(closedLoopGenerator('autocannon')).toBe('autocannon');
  });

  it('pairs rounds for the throughput ratio: a slow moment of the machine slows both sides of one round', () => {
    // The second round ran while the machine was slow: both sides lost half their rate.
    const strangler = [9_000, 4_600, 9_200];
    const bare = [6_000, 3_000, 6_100];
    expect(pairedRatio(strangler, bare).perRound.map((r) => r.toFixed(3))).toEqual([
      '1.500',
      '1.533',
      '1.508',
    ]);
    expect(pairedRatio(strangler, bare).median).toBeCloseTo(1.508, 3);
    expect(pairedRatio([2, 4], [1, 1]).median).toBe(3);
    expect(() => pairedRatio([1, 2], [1])).toThrow(/same number of rounds/);
  });

  it('pairs rounds for the added latency: a VM hiccup in one round raises both sides of that round', () => {
    // Round 2 had a stall that hit direct and the proxy alike; round 3's proxy p99 alone is an outlier.
    const proxyP99 = [3.1, 14.0, 9.0, 3.4, 3.0];
    const directP99 = [2.0, 12.5, 2.1, 2.2, 1.9];
    const added = pairedDifference(proxyP99, directP99);
    expect(added.perRound.map((d) => d.toFixed(1))).toEqual(['1.1', '1.5', '6.9', '1.2', '1.1']);
    expect(added.median).toBeCloseTo(1.2, 5);
    expect(() => pairedDifference([], [])).toThrow(/same number of rounds/);
  });

  it("summarises a spin loop's gaps into stalls a second, time lost and the longest", () => {
    // 2 s of spinning: gaps under the 0.5 ms threshold are scheduler noise and do not count.
    const summary = summariseStalls([0.2, 0.6, 4, 0.49, 9.4], 2, 0.5, '1');
    expect(summary).toEqual({
      cpu: '1',
      seconds: 2,
      perSecond: 1.5,
      lostPercent: expect.closeTo(0.7, 10),
      maxMs: 9.4,
      thresholdMs: 0.5,
    });
    expect(summariseStalls([0.1, 0.2], 1)).toMatchObject({
      perSecond: 0,
      lostPercent: 0,
      maxMs: 0,
    });
  });

  it('probes a CPU with a real spin loop in its own process', async () => {
    const summary = await probeStalls(null, 0.3);
    expect(summary.seconds).toBe(0.3);
    expect(Number.isFinite(summary.perSecond) && summary.perSecond >= 0).toBe(true);
    // A stall can never be longer than the probe ran.
    expect(summary.maxMs).toBeLessThan(300 + 50);
    expect(summary.lostPercent).toBeLessThan(100);
  });
});
