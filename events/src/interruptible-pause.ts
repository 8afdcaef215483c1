/**
 * A wait that new work cuts short: the relay and the embedded broker's consumers sleep between
 * polls this way, and a commit or a publish in the same process wakes them at once.
 */
export function interruptiblePause() {
  let wake: (() => void) | undefined;
  return {
    pause(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    },
    wake(): void {
      wake?.();
    },
  };
}
