import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `strangler` bin in a child process, as a user would. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 60000,
): CliResult {
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts', 'strangler.js'), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: timeoutMs,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
