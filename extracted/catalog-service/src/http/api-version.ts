import type { RequestHandler } from 'express';
import { CatalogError } from '../errors';

/** The request header that picks an API version without changing the URL. */
export const VERSION_HEADER = 'accept-version';
/** Resources with a v2; everything else is served as v1 whatever the header says. */
const VERSIONED = /^\/catalog\/albums(\/|$)/;
const SUPPORTED = [1, 2];

/** "2", "v2", "2.0", "2.1.3" → 2; anything else → undefined. */
export function majorOf(value: string | undefined): number | undefined {
  const match = /^v?(\d{1,3})(\.\d{1,3}){0,2}$/i.exec((value ?? '').trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * Version by header: `Accept-Version: 2` on /catalog/albums… is served by /v2/catalog/albums…,
 * so both ways of asking reach the same handlers. Answers vary by the header (`Vary`), and a
 * version the service does not have is a 406 naming the ones it has.
 */
export function routeByVersionHeader(): RequestHandler {
  return (req, res, next) => {
    if (!VERSIONED.test(req.path)) return next();
    res.vary('Accept-Version');
    const asked = req.get(VERSION_HEADER);
    if (asked === undefined) return next();
    const major = majorOf(asked);
    if (major === undefined || !SUPPORTED.includes(major))
      return next(
        new CatalogError(
          'VERSION_UNSUPPORTED',
          `Accept-Version "${asked}" is not served: use ${SUPPORTED.join(' or ')} (or /v2/catalog/albums)`,
          'accept-version',
        ),
      );
    // v2 has reads only: a write asking for v2 is served by v1, which is the only one that writes.
    if (major === 2 && (req.method === 'GET' || req.method === 'HEAD')) req.url = `/v2${req.url}`;
    next();
  };
}
