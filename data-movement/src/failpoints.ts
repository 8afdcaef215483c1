// Crash injection for the crash tests: STRANGLER_DATA_CRASH_AFTER=<n> kills the
// process (SIGKILL, no clean-up) the n-th time any crash point is reached;
// STRANGLER_DATA_CRASH_AT=<name> kills it the first time the point <name> is
// reached (the handover's steps). Points sit inside a transaction before commit,
// right after commit, and after each handover step is recorded.
const limit = Number(process.env.STRANGLER_DATA_CRASH_AFTER ?? 0);
const named = process.env.STRANGLER_DATA_CRASH_AT ?? '';
let hits = 0;

export function crashPoint(name: string): void {
  if (named !== '' && name === named) process.kill(process.pid, 'SIGKILL');
  if (limit <= 0) return;
  hits += 1;
  if (hits >= limit) process.kill(process.pid, 'SIGKILL');
}
