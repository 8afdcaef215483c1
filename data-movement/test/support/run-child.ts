import { spawn } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(__dirname, '..', '..', 'src', 'bin.ts');
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `data <args>` in its own process (a real crash needs a real process);
 * crashAfter arms the crash points, env adds variables (e.g. STRANGLER_DATA_CRASH_AT).
 */
export function runDataCommand(
  args: string[],
  crashAfter = 0,
  env: Record<string, string> = {},
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', path.join(__dirname, 'swc-register.js'), BIN, 'data', ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          STRANGLER_DATA_CRASH_AFTER: String(crashAfter),
          DATABASE_URL: '',
          CATALOG_DATABASE_URL: '',
          FINANCE_DATABASE_URL: '',
          STRANGLER_DATA_CRASH_AT: '',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
