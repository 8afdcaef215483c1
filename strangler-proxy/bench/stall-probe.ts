import { execFile } from 'node:child_process';

/** How often a CPU was taken away from a process that never yields (a VM's steal, the kernel's own work). */
export interface StallSummary {
  cpu: string | null;
  seconds: number;
  /** Gaps of at least `thresholdMs` between two consecutive clock reads, per second. */
  perSecond: number;
  /** Share of the wall time lost in those gaps, in percent. */
  lostPercent: number;
  maxMs: number;
  thresholdMs: number;
}

/** Gaps (ms) between consecutive clock reads of a spin loop → what a latency measurement on that CPU competes with. */
export function summariseStalls(
  gapsMs: readonly number[],
  seconds: number,
  thresholdMs = 0.5,
  cpu: string | null = null,
): StallSummary {
  const stalls = gapsMs.filter((gap) => gap >= thresholdMs);
  return {
    cpu,
    seconds,
    perSecond: stalls.length / seconds,
    lostPercent: (100 * stalls.reduce((sum, gap) => sum + gap, 0)) / (seconds * 1000),
    maxMs: stalls.length ? Math.max(...stalls) : 0,
    thresholdMs,
  };
}

// Spins for `seconds`, printing every gap above 0.1 ms as JSON: nothing else runs in that process.
const SPIN = `const end = process.hrtime.bigint() + BigInt(Math.round(Number(process.argv[1]) * 1e9)); const gaps = [];
let last = process.hrtime.bigint();
for (;;) { const now = process.hrtime.bigint(); const gap = Number(now - last) / 1e6; if (gap > 0.1) gaps.push(gap); last = now; if (now > end) break; }
process.stdout.write(JSON.stringify(gaps));`;

/**
 * Spins on `cpu` (taskset list, or anywhere when null) for `seconds` while the
 * machine is otherwise idle. On a shared VM this finds the stalls no proxy can
 * avoid: a request whose path crosses a stalled CPU waits for it.
 */
export function probeStalls(cpu: string | null, seconds: number): Promise<StallSummary> {
  const args = ['-e', SPIN, String(seconds)];
  const [command, commandArgs] =
    cpu === null ? [process.execPath, args] : ['taskset', ['-c', cpu, process.execPath, ...args]];
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error)
        return reject(new Error(`stall probe on CPU ${cpu ?? 'any'} failed: ${error.message}`));
      resolve(summariseStalls(JSON.parse(stdout) as number[], seconds, 0.5, cpu));
    });
  });
}
