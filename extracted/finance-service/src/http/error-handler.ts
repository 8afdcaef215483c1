import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { UNSUPPORTED_BODY_TYPE } from '../../../../common/src/json-body';
import { FinanceError, statusOf } from '../errors';
import { loggerOf } from '../../../../common/src/express-request-context';

/** Turns body-parser failures into the service's own errors (same codes as the monolith). */
function translate(error: unknown): FinanceError | undefined {
  if (error instanceof FinanceError) return error;
  const { type } = (error ?? {}) as { type?: string };
  if (type === 'entity.parse.failed') {
    return new FinanceError(
      'INVALID_JSON',
      `request body is not valid JSON (${(error as Error).message}): send a JSON object with the header "Content-Type: application/json"`,
      'body',
    );
  }
  if (type === UNSUPPORTED_BODY_TYPE)
    return new FinanceError('UNSUPPORTED_MEDIA_TYPE', (error as Error).message, 'body');
  if (type === 'entity.too.large')
    return new FinanceError('PAYLOAD_TOO_LARGE', 'request body is larger than 100kb', 'body');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new FinanceError('VALIDATION_FAILED', 'request body must be UTF-8 JSON', 'body');
  }
  return undefined;
}

export function handleUnknownRoute(): RequestHandler {
  return (req, _res, next) =>
    next(new FinanceError('NOT_FOUND', `no route for ${req.method} ${req.path}`));
}

/** The one error shape: {"error":{"code","message","field"?}}; a 500 never shows its stack to the client. */
export function handleErrors(fallback: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const known = translate(error);
    if (!known) {
      loggerOf(res.locals, fallback).error({ err: error }, 'unhandled error');
      res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
      return;
    }
    const body: { code: string; message: string; field?: string } = {
      code: known.code,
      message: known.message,
    };
    if (known.field) body.field = known.field;
    res.status(statusOf(known.code)).json({ error: body });
  };
}
