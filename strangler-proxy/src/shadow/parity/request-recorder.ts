import fs from 'node:fs';
import type { LoggedRequest } from './request-log';

export interface RecordableRequest {
  method: string;
  path: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: Buffer;
  route?: string;
  correlationId?: string;
}

// SECURITY: a request log is a file people copy around; credentials never go into it.
const NOT_RECORDED = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** One request as a line of the request log that `strangler parity --requests` reads. */
export function toLogLine(request: RecordableRequest): string {
  const line: LoggedRequest = { method: request.method.toUpperCase(), path: request.path };
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined && !NOT_RECORDED.has(name.toLowerCase()))
      headers[name.toLowerCase()] = value;
  }
  if (Object.keys(headers).length > 0) line.headers = headers;
  if (request.body && request.body.length > 0) {
    const text = request.body.toString('utf8');
    // Text that survives a UTF-8 round trip stays readable; anything else is kept exactly as base64.
    if (Buffer.from(text, 'utf8').equals(request.body)) line.body = text;
    else line.bodyBase64 = request.body.toString('base64');
  }
  if (request.route !== undefined) line.route = request.route;
  if (request.correlationId !== undefined) line.correlationId = request.correlationId;
  return `${JSON.stringify(line)}\n`;
}

/**
 * Appends requests to a JSON Lines file without ever slowing the caller: when the
 * disk falls behind, lines are dropped and counted instead of queued without bound.
 *
 * @example const recorder = createRequestRecorder('data/requests.jsonl'); recorder.record({ method, path, headers });
 */
export function createRequestRecorder(file: string, options: { maxQueuedBytes?: number } = {}) {
  const stream = fs.createWriteStream(file, {
    flags: 'a',
    highWaterMark: options.maxQueuedBytes ?? 1024 * 1024,
  });
  let recorded = 0;
  let dropped = 0;
  let failed: Error | undefined;
  stream.on('error', (error) => {
    failed = error;
  });
  return {
    record(request: RecordableRequest): boolean {
      if (failed || stream.writableNeedDrain) {
        dropped += 1;
        return false;
      }
      stream.write(toLogLine(request));
      recorded += 1;
      return true;
    },
    stats: () => ({ recorded, dropped, error: failed?.message }),
    close: (): Promise<void> =>
      new Promise((resolve) =>
        stream.closed || stream.destroyed ? resolve() : stream.end(resolve),
      ),
  };
}
