import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { loggerOf } from './correlation-id';

/** One structured line per request once the response is sent: method, path, status, ms. */
export function logRequests(fallback: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The query string is left out on purpose: it can carry e-mail addresses and search terms.
      const path = req.originalUrl.split('?')[0];
      loggerOf(res.locals, fallback).info(
        { method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
