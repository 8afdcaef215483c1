import { type Dispatcher, request as undiciRequest } from 'undici';
import type { ResponseSnapshot } from './compare-responses';
import type { ShadowRequest } from './shadow-dispatcher';

export interface HttpSenderOptions {
  /** Bodies larger than this are not buffered for comparison: the send fails instead. */
  maxBodyBytes?: number;
  /** An undici Pool or Agent of the caller's (connection cap, keep-alive); the global agent otherwise. */
  dispatcher?: Dispatcher;
}

// Connection-specific or recomputed by the client; forwarding them would corrupt the request.
const DROP = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'expect',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
]);

/**
 * Sends a request to one origin and buffers the answer for comparison.
 *
 * @example const send = createHttpSender('http://127.0.0.1:4001'); const answer = await send(req, signal);
 */
export function createHttpSender(origin: string, options: HttpSenderOptions = {}) {
  const base = new URL(origin);
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  return async (request: ShadowRequest, signal?: AbortSignal): Promise<ResponseSnapshot> => {
    // SECURITY: only origin-form targets, so a logged or client-supplied path cannot point at another host.
    if (!request.path.startsWith('/'))
      throw new Error(`request path "${request.path}" must start with "/"`);
    const url = new URL(base.origin + request.path);
    if (url.origin !== base.origin)
      throw new Error(`request path "${request.path}" leaves ${base.origin}`);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (!DROP.has(name.toLowerCase())) headers[name] = value;
    const response = await undiciRequest(url, {
      method: request.method as Dispatcher.HttpMethod,
      headers,
      body: request.body,
      signal,
      dispatcher: options.dispatcher,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) {
        response.body.destroy();
        throw new Error(
          `answer of ${request.method} ${request.path} is larger than ${maxBodyBytes} bytes`,
        );
      }
      chunks.push(chunk as Buffer);
    }
    return {
      status: response.statusCode,
      headers: response.headers as Record<string, string | string[]>,
      body: Buffer.concat(chunks),
    };
  };
}
