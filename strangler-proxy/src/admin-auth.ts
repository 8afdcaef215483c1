import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ProxyError } from './errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Checks `Authorization: Bearer <token>`: missing → 401, wrong → 403.
 * SECURITY: compares SHA-256 digests with timingSafeEqual, so neither the
 * token's content nor its length leaks through response timing.
 */
export function checkBearer(req: IncomingMessage, token: string): ProxyError | null {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match)
    return new ProxyError(
      'ERR_ADMIN_UNAUTHORIZED',
      'admin API needs "Authorization: Bearer <STRANGLER_ADMIN_TOKEN>"',
    );
  if (!timingSafeEqual(digest(match[1]), digest(token)))
    return new ProxyError('ERR_ADMIN_FORBIDDEN', 'admin token is not valid');
  return null;
}
