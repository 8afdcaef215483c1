import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { UNSUPPORTED_BODY_TYPE } from '../../../common/src/json-body';
import { MonolithError, statusOf } from '../errors';
import { loggerOf } from './correlation-id';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Turns body-parser failures into the monolith's own errors. */
function translate(error: unknown): MonolithError | undefined {
  if (error instanceof MonolithError) return error;
  const { type } = (error ?? {}) as BodyParserError;
  if (type === 'entity.parse.failed') {
    return new MonolithError(
      'INVALID_JSON',
      `request body is not valid JSON (${(error as Error).message}): send a JSON object with the header "Content-Type: application/json"`,
      'body',
    );
  }
  if (type === UNSUPPORTED_BODY_TYPE)
    return new MonolithError('UNSUPPORTED_MEDIA_TYPE', (error as Error).message, 'body');
  if (type === 'entity.too.large') {
    return new MonolithError('PAYLOAD_TOO_LARGE', 'request body is larger than 100kb', 'body');
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new MonolithError('VALIDATION_FAILED', 'request body must be UTF-8 JSON', 'body');
  }
  // Express refuses path parameters like %E0%A4%A before a route runs.
  if (error instanceof URIError) {
    return new MonolithError(
      'VALIDATION_FAILED',
      'path: malformed percent-encoding in the URL',
      'path',
    );
  }
  const { status, expose } = (error ?? {}) as BodyParserError;
  if (expose && typeof status === 'number' && status >= 400 && status < 500) {
    return new MonolithError(
      'VALIDATION_FAILED',
      `request refused: ${(error as Error).message}`,
      'body',
    );
  }
  return undefined;
}

/** Unknown routes get the same JSON error shape as everything else. */
export function handleUnknownRoute(): RequestHandler {
  return (req, _res, next) => {
    next(new MonolithError('NOT_FOUND', `no route for ${req.method} ${req.path}`));
  };
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
