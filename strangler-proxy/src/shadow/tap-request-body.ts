import type { IncomingMessage } from 'node:http';
import { createBodyCapture } from './capture-body';

/**
 * A copy of the request body as it streams upstream, up to a cap; resolves with
 * the body once the client sent it all, undefined when it was cut or too large.
 * Necessary because the body is read once (streamed to the primary): the copy is
 * taken where node's parser hands chunks to the request, so flow and backpressure stay as they were.
 */
export function tapRequestBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const copy = createBodyCapture(maxBytes);
  const push = req.push;
  req.push = function tappedPush(this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) copy.push(chunk);
    return push.call(this, chunk, encoding);
  };
  return new Promise((resolve) => {
    const settle = () => resolve(req.complete ? copy.result() : undefined);
    req.once('end', settle);
    req.once('close', settle);
  });
}
