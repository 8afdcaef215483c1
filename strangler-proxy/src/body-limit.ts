import type { IncomingMessage } from 'node:http';
import { Readable, Transform } from 'node:stream';
import type { LimitsSpec } from './config-schema';
import { ProxyError } from './errors';

/** True when the request carries a body (declared length > 0, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

const tooLarge = (maxBytes: number) =>
  new ProxyError(
    'ERR_BODY_TOO_LARGE',
    `request body is larger than limits.maxBodyBytes (${maxBytes} bytes)`,
  );

/**
 * Receives a request body before anything is sent upstream, as NGINX does: a
 * client that sends slowly holds only its own socket, never an upstream
 * connection. Up to `limits.bufferBodyBytes` is read into memory within
 * `limits.bodyTimeoutMs` (else 408); a larger body streams on from there,
 * counted against `limits.maxBodyBytes` (413). `done` is called once, with the
 * body to send or an error (ERR_CLIENT_CLOSED when the client left meanwhile).
 */
export function receiveBody(
  req: IncomingMessage,
  limits: LimitsSpec,
  done: (body: Readable | ProxyError) => void,
): void {
  const maxBytes = limits.maxBodyBytes;
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return done(tooLarge(maxBytes));
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (body: Readable | ProxyError) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('close', onClose);
    req.off('error', onClose);
    done(body);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) return finish(tooLarge(maxBytes));
    chunks.push(chunk);
    if (size <= limits.bufferBodyBytes) return;
    // Larger than the buffer: what arrived goes first, the rest streams through the counter.
    req.pause();
    const counter = countUpTo(maxBytes);
    req.on('error', (error) => counter.destroy(error));
    counter.write(Buffer.concat(chunks));
    finish(req.pipe(counter));
  };
  const onEnd = () => finish(Readable.from([Buffer.concat(chunks)]));
  const onClose = () => {
    if (!req.complete)
      finish(new ProxyError('ERR_CLIENT_CLOSED', 'the client left while sending the body'));
  };
  const timer = setTimeout(
    () =>
      finish(
        new ProxyError(
          'ERR_BODY_TIMEOUT',
          `the request body did not arrive within limits.bodyTimeoutMs (${limits.bodyTimeoutMs} ms); send it faster or raise the limit`,
        ),
      ),
    limits.bodyTimeoutMs,
  );
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('close', onClose);
  req.on('error', onClose);
}

/** Passes bytes through and fails once more than `maxBytes` went by. */
function countUpTo(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, next) {
      seen += chunk.length;
      next(seen > maxBytes ? tooLarge(maxBytes) : null, chunk);
    },
  });
}

/**
 * Bodies still arriving, per client address: one address may send at most
 * `limits.maxBodiesPerClient` at once, so a few slow senders cannot hold every socket.
 */
export class BodiesInFlight {
  private readonly byClient = new Map<string, number>();

  /** Counts this request's body until it ended or closed; false when its address is at the cap. */
  admit(req: IncomingMessage, cap: number): boolean {
    const client = req.socket.remoteAddress ?? '';
    const count = this.byClient.get(client) ?? 0;
    if (count >= cap) return false;
    this.byClient.set(client, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.byClient.get(client) ?? 1) - 1;
      if (left > 0) this.byClient.set(client, left);
      else this.byClient.delete(client);
    };
    req.once('end', release);
    req.once('close', release);
    return true;
  }
}
