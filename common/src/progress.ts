/**
 * A progress bar for long commands: a redrawn line on a terminal, a line every
 * few seconds when the output is a file or a CI log.
 */
export interface Progress {
  tick(done: number): void;
  finish(): void;
}

export function createProgress(
  label: string,
  initialTotal: number,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  let total = initialTotal;
  const started = now();
  // The first line waits one interval: drawn at once it would show the first batch ("0% 13/54,613") and a meaningless ETA.
  let lastDraw = started;
  let current = 0;
  const tty = Boolean(stream.isTTY);

  function render(final: boolean): string {
    const ratio = total > 0 ? Math.min(1, current / total) : 1;
    const elapsed = (now() - started) / 1000;
    const rate = elapsed > 0 ? current / elapsed : 0;
    const eta = rate > 0 && !final ? (total - current) / rate : 0;
    const width = 24;
    const filled = Math.round(ratio * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const tail = final
      ? `${elapsed.toFixed(1)}s, ${Math.round(rate).toLocaleString('en-US')}/s`
      : `ETA ${eta.toFixed(0)}s, ${Math.round(rate).toLocaleString('en-US')}/s`;
    return `${label} ${bar} ${(ratio * 100).toFixed(0).padStart(3)}% ${current.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${tail}`;
  }

  return {
    tick(done: number) {
      current = done;
      const at = now();
      const interval = tty ? 100 : 2000;
      if (at - lastDraw < interval) return;
      lastDraw = at;
      stream.write(tty ? `\r${render(false)}` : `${render(false)}\n`);
    },
    finish() {
      total = Math.max(current, 1);
      stream.write(tty ? `\r${render(true)}\n` : `${render(true)}\n`);
    },
  };
}
