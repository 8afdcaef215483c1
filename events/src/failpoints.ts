// Crash injection for the fault tests: EVENTS_CRASH_AT=<point>:<n> kills the process (SIGKILL,
// no clean-up) the n-th time that point is reached, e.g. relay:after-publish:3 between the
// broker's confirm and the outbox update of the third batch.
const [armedPoint, armedCount] = (() => {
  const value = process.env.EVENTS_CRASH_AT ?? '';
  const at = value.lastIndexOf(':');
  return at > 0 ? [value.slice(0, at), Number(value.slice(at + 1))] : ['', 0];
})();
let hits = 0;

export function crashPoint(name: string): void {
  if (name !== armedPoint || armedCount <= 0) return;
  hits += 1;
  if (hits >= armedCount) process.kill(process.pid, 'SIGKILL');
}
