import fs from 'node:fs';
import { childPids } from '../../../common/src/child-pids';

/**
 * nginx's worker processes (Linux; none elsewhere). necessary because `nginx -s reload` only
 * signals the master: the new configuration is in force once every worker started under the
 * old one has stopped taking connections.
 */
export function workerPids(masterPid: number): number[] {
  return childPids(masterPid);
}

/** Gone, or finishing its last requests (nginx renames it "worker process is shutting down"). */
function retired(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('is shutting down');
  } catch {
    return true;
  }
}

/** Resolves true once none of `workers` takes connections any more; false after `withinMs`. */
export async function workersRetired(
  workers: readonly number[],
  withinMs: number,
): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (!workers.every(retired)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
