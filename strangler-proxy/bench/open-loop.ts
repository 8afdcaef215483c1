import { Pool } from 'undici';

/** Latency at a fixed offered rate, in ms, measured from each request's scheduled start. */
export interface OpenLoopResult {
  sent: number;
  p50: number;
  p99: number;
  p999: number;
  errors: number;
}

export interface OpenLoopOptions {
  rate: number;
  seconds: number;
  connections: number;
  path: string;
  headers: Record<string, string>;
}

/**
 * Sends `rate` requests a second on a fixed schedule, whether or not earlier
 * ones answered (open loop). Latency counts from the scheduled start, so a
 * stall shows up in the percentiles instead of slowing the sender down
 * (no coordinated omission). Below saturation this is the latency a proxy adds;
 * a saturating closed-loop run mostly measures queueing.
 */
export async function measureOpenLoop(
  origin: string,
  options: OpenLoopOptions,
): Promise<OpenLoopResult> {
  const pool = new Pool(origin, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let errors = 0;
  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * options.seconds);
  const start = performance.now();

  function send(scheduledAt: number): void {
    const done = pool
      .request({ method: 'GET', path: options.path, headers: options.headers })
      .then(async (response) => {
        await response.body.dump();
        if (response.statusCode >= 400) errors++;
        else latencies.push(performance.now() - scheduledAt);
      })
      .catch(() => void errors++)
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  }

  let next = 0;
  while (next < total) {
    const now = performance.now() - start;
    // Everything whose time has come goes out now, stamped with the time it was due.
    while (next < total && next * interval <= now) send(start + next++ * interval);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, Math.min(1, next * interval - now))),
    );
  }
  await Promise.all(inFlight);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies.length
      ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]
      : NaN;
  return { sent: total, p50: at(0.5), p99: at(0.99), p999: at(0.999), errors };
}
