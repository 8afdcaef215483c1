// Crash injection for the crash tests: STRANGLER_DATA_CRASH_AFTER=<n> kills the
// process (SIGKILL, no clean-up) the n-th time any crash point is reached. Points
// sit inside a transaction before commit and right after commit, the two places
// where a real crash could leave the copy half-done.
const limit = Number(process.env.STRANGLER_DATA_CRASH_AFTER ?? 0);
let hits = 0;

export function crashPoint(_name: string): void {
  if (limit <= 0) return;
  hits += 1;
  if (hits >= limit) process.kill(process.pid, 'SIGKILL');
}
