import type { IncomingMessage } from 'node:http';

const MAX_FORM_BYTES = 4 * 1024;

/** An urlencoded form body, capped: a login form has one short field. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * SECURITY: a form post from another site is refused when the browser says
 * where it came from (Origin), on top of the SameSite=Strict cookie.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

const WINDOW_MS = 60_000;
// SECURITY: bounds the memory a flood from many addresses can take; the oldest windows go first.
const MAX_SOURCES = 10_000;

/**
 * Failed sign-ins per source address and minute. A source with too many
 * failures is locked until its minute is over; other sources, the operator
 * with the right token among them, are not affected. The token is long: this
 * only keeps guessing slow and visible.
 */
export function createLoginThrottle(maxFailuresPerMinute = 20, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; failures: number }>();
  const current = (source: string) => {
    const window = windows.get(source);
    if (window && now() - window.start >= WINDOW_MS) {
      windows.delete(source);
      return undefined;
    }
    return window;
  };
  return {
    /** How long this source is still locked out, in ms; 0 when it may try. */
    lockedFor(source: string): number {
      const window = current(source);
      if (!window || window.failures < maxFailuresPerMinute) return 0;
      return window.start + WINDOW_MS - now();
    },
    fail(source: string): void {
      const window = current(source);
      if (window) {
        window.failures += 1;
        return;
      }
      if (windows.size >= MAX_SOURCES) windows.delete(windows.keys().next().value as string);
      windows.set(source, { start: now(), failures: 1 });
    },
  };
}
