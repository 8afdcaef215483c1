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

/** Failed logins per minute, for the whole dashboard: the token is long, this only keeps guessing slow and visible. */
export function createLoginThrottle(maxFailuresPerMinute = 20, now: () => number = Date.now) {
  let windowStart = now();
  let failures = 0;
  const roll = () => {
    if (now() - windowStart >= 60_000) {
      windowStart = now();
      failures = 0;
    }
  };
  return {
    blocked(): boolean {
      roll();
      return failures >= maxFailuresPerMinute;
    },
    fail(): void {
      roll();
      failures += 1;
    },
  };
}
