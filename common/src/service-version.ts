import type { RequestHandler } from 'express';

/** The response header every extracted service answers with: its semantic version. */
export const SERVICE_VERSION_HEADER = 'X-Service-Version';

/**
 * Semantic version in the open: `X-Service-Version` on every answer, and `{status, service,
 * version}` on GET /health. A service bumps MINOR when it adds (a new endpoint or field, a
 * coexisting v2) and MAJOR only when it removes or changes something a consumer may read.
 *
 * @example app.use(reportServiceVersion('catalog-service', '1.1.0'));
 */
export function reportServiceVersion(service: string, version: string): RequestHandler {
  return (req, res, next) => {
    res.setHeader(SERVICE_VERSION_HEADER, version);
    if (req.method === 'GET' && req.path === '/health') {
      res.json({ status: 'ok', service, version });
      return;
    }
    next();
  };
}
