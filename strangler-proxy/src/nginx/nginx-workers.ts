import fs from 'node:fs';

/** Gone, or finishing its last requests (nginx renames it "worker process is shutting down"). */
function retired(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('is shutting down');
  } catch {
    return true;
  }
}

/**
 * Resolves true once none of `workers` (nginx's workers before a reload) takes connections any
 * more; false after `withinMs`. necessary because `nginx -s reload` only signals the master:
 * the new configuration serves every new connection only once the old workers have stopped.
 */
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
