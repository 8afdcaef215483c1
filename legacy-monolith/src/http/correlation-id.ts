import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { CORRELATION_HEADER, pickCorrelationId } from '../../../common/src/correlation-id';
import { runInRequestContext } from './request-context';

/** Keeps the client's X-Correlation-ID (or makes one), echoes it, and binds it to every log line of the request. */
export function assignCorrelationId(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const correlationId = pickCorrelationId(req.headers[CORRELATION_HEADER]);
    const requestLogger = logger.child({ correlationId });
    res.locals.correlationId = correlationId;
    res.locals.logger = requestLogger;
    res.setHeader(CORRELATION_HEADER, correlationId);
    runInRequestContext({ correlationId, logger: requestLogger }, next);
  };
}

export function loggerOf(locals: Record<string, unknown>, fallback: Logger): Logger {
  return (locals.logger as Logger | undefined) ?? fallback;
}
