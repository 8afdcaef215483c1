import { execFileSync, execFile } from 'node:child_process';
import fs from 'node:fs';
import { childPids } from '../../common/src/child-pids';
const autocannon = require('autocannon');

/** One saturating run: every connection sends its next request as soon as the last one answered. */
export interface ClosedLoopResult {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface ClosedLoopOptions {
  seconds: number;
  connections: number;
  headers: Record<string, string>;
  /** CPUs the load generator may use (taskset list), or null for anywhere. */
  cpus: string | null;
}

/** True when `command` is on the PATH. */
export function isInstalled(command: string): boolean {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * wrk when installed (a C load generator leaves the CPU to the servers), else
 * autocannon; BENCH_LOAD_GENERATOR=wrk|autocannon chooses.
 */
export function closedLoopGenerator(
  wanted = process.env.BENCH_LOAD_GENERATOR,
): 'wrk' | 'autocannon' {
  if (wanted !== undefined && wanted !== 'wrk' && wanted !== 'autocannon') {
    throw new Error(`BENCH_LOAD_GENERATOR="${wanted}" is not known: use wrk or autocannon`);
  }
  if (wanted === 'wrk' && !isInstalled('wrk'))
    throw new Error('BENCH_LOAD_GENERATOR=wrk but wrk is not installed (apt-get install -y wrk)');
  return wanted ?? (isInstalled('wrk') ? 'wrk' : 'autocannon');
}

export async function measureClosedLoop(
  generator: 'wrk' | 'autocannon',
  url: string,
  options: ClosedLoopOptions,
): Promise<ClosedLoopResult> {
  if (generator === 'autocannon') {
    // autocannon runs inside the bench process, which is already on the load CPUs.
    const result = await autocannon({
      url,
      connections: options.connections,
      duration: options.seconds,
      headers: options.headers,
    });
    return {
      rps: result.requests.total / options.seconds,
      total: result.requests.total,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.non2xx + result.timeouts,
    };
  }
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--latency',
    ...Object.entries(options.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    url,
  ];
  const [command, commandArgs] =
    options.cpus === null ? ['wrk', args] : ['taskset', ['-c', options.cpus, 'wrk', ...args]];
  const output = await new Promise<string>((resolve, reject) =>
    execFile(command, commandArgs, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
  return parseWrk(output);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };

/** wrk's text report → numbers (latency in ms). */
export function parseWrk(output: string): ClosedLoopResult {
  const latency = (q: string) => {
    const match = new RegExp(`^\\s*${q}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output);
    if (!match) throw new Error(`wrk output has no ${q}% latency line:\n${output}`);
    return Number(match[1]) * UNIT_MS[match[2]];
  };
  const total = Number(/^\s*(\d+) requests in/m.exec(output)?.[1] ?? NaN);
  const rps = Number(/^Requests\/sec:\s+([\d.]+)/m.exec(output)?.[1] ?? NaN);
  if (!Number.isFinite(total) || !Number.isFinite(rps))
    throw new Error(`unexpected wrk output:\n${output}`);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const errors =
    non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { rps, total, p50: latency('50'), p99: latency('99'), errors };
}

/**
 * Throughput ratio a/b per round, and their median. Rounds of two configs run
 * minutes apart share the machine's mood only within the same round: on a
 * shared VM one config's rate moved by up to 2× between rounds, which a ratio
 * of two separately taken medians passes straight through.
 */
export function pairedRatio(
  a: readonly number[],
  b: readonly number[],
): { perRound: number[]; median: number } {
  return paired(a, b, (x, y) => x / y);
}

/** Difference a − b per round (e.g. a proxy's p99 minus direct's, measured back to back), and their median. */
export function pairedDifference(
  a: readonly number[],
  b: readonly number[],
): { perRound: number[]; median: number } {
  return paired(a, b, (x, y) => x - y);
}

function paired(
  a: readonly number[],
  b: readonly number[],
  combine: (x: number, y: number) => number,
): { perRound: number[]; median: number } {
  if (a.length === 0 || a.length !== b.length)
    throw new Error(
      `paired rounds need the same number of rounds on both sides (got ${a.length} and ${b.length})`,
    );
  const perRound = a.map((value, i) => combine(value, b[i]));
  return { perRound, median: median(perRound) };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * utime + stime of a process and its children (nginx's workers), all threads, in microseconds
 * (Linux /proc, clock ticks of 10 ms); null when it cannot be read.
 */
export function cpuMicrosOf(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const ticks = (id: number) => {
      const fields = fs.readFileSync(`/proc/${id}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(fields[11]) + Number(fields[12]);
    };
    return [pid, ...childPids(pid)].reduce((sum, id) => sum + ticks(id), 0) * 10_000;
  } catch {
    return null;
  }
}
