import type { IncomingMessage } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import { ProxyError } from './errors';

/** True when the request carries a body (declared length > 0, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * The body to stream upstream, or a ProxyError when its declared length is
 * over the limit. A chunked body is counted on the fly and cut at the limit.
 */
export function limitBody(req: IncomingMessage, maxBytes: number): Readable | ProxyError {
  const tooLarge = () =>
    new ProxyError(
      'ERR_BODY_TOO_LARGE',
      `request body is larger than limits.maxBodyBytes (${maxBytes} bytes)`,
    );
  const declared = req.headers['content-length'];
  if (declared !== undefined) return Number(declared) > maxBytes ? tooLarge() : req;
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > maxBytes ? tooLarge() : null, chunk);
    },
  });
  req.on('error', (error) => counter.destroy(error));
  return req.pipe(counter);
}
