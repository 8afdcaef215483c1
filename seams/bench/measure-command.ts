import { spawnSync } from 'node:child_process';

export interface Measurement {
  label: string;
  seconds: number;
  /** User + system CPU seconds: the fairer figure when other processes share the machine. */
  cpuSeconds: number;
  peakMb: number;
  ok: boolean;
  note?: string;
}

/**
 * Runs a command under GNU time for wall time and peak RSS (of the largest
 * process it starts). Bounded: a command over the timeout is killed and marked.
 */
export function measureCommand(
  label: string,
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs: number },
): Measurement {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? '');
  const cpu = ['User', 'System'].reduce(
    (sum, kind) =>
      sum +
      Number(
        new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(result.stderr ?? '')?.[1] ?? NaN,
      ),
    0,
  );
  const ok = result.status === 0 || (label.startsWith('seams') && result.status === 1);
  const note = result.error
    ? result.error.message
    : ok
      ? undefined
      : `exit ${result.status}: ${(result.stderr ?? '').split('\n').slice(0, 3).join(' ')}`;
  return {
    label,
    seconds,
    cpuSeconds: cpu,
    peakMb: rss ? Number(rss[1]) / 1024 : NaN,
    ok,
    ...(note ? { note } : {}),
  };
}
