// Express middleware with no domain in it, shared by the extracted services: correlation ID and request log.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { CORRELATION_HEADER, pickCorrelationId } from './correlation-id';

/** Keeps the caller's X-Correlation-ID (or makes one), echoes it, and binds it to the request's logger. */
export function assignCorrelationId(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const correlationId = pickCorrelationId(req.headers[CORRELATION_HEADER]);
    res.locals.correlationId = correlationId;
    res.locals.logger = logger.child({ correlationId });
    res.setHeader(CORRELATION_HEADER, correlationId);
    next();
  };
}

export function loggerOf(locals: Record<string, unknown>, fallback: Logger): Logger {
  return (locals.logger as Logger | undefined) ?? fallback;
}

/** One structured line per request: method, path (no query string: it may carry search terms), status, ms. */
export function logRequests(fallback: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      loggerOf(res.locals, fallback).info(
        {
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}
