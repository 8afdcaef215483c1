import fs from 'node:fs';
import { z } from 'zod';
import { CORRELATION_HEADER } from '../../../../common/src/correlation-id';
import { ShadowError } from '../errors';
import type { ShadowRequest } from '../shadow-dispatcher';

const TOKEN = /^[A-Za-z!#$%&'*+.^_`|~-]+$/;

/**
 * One line of a request log (JSON Lines). `body` is text, or any other JSON value
 * sent as JSON; `bodyBase64` carries binary bodies. `route` and `correlationId`
 * are optional labels (the proxy writes them when it records a log).
 */
export const loggedRequestSchema = z
  .strictObject({
    method: z
      .string()
      .regex(TOKEN, { error: 'must be an HTTP method such as GET' })
      .transform((m) => m.toUpperCase()),
    path: z
      .string()
      .startsWith('/', {
        error: 'must be an origin-form path starting with "/", e.g. "/catalog/albums?page=2"',
      })
      .refine((p) => !p.startsWith('//'), {
        error: 'must not start with "//" (that names a host)',
      }),
    headers: z
      .record(
        z.string().regex(TOKEN, { error: 'must be an HTTP header name' }),
        z.union([z.string(), z.array(z.string())]),
      )
      .optional(),
    body: z.unknown().optional(),
    bodyBase64: z
      .string()
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'must be base64' })
      .optional(),
    route: z.string().optional(),
    correlationId: z.string().optional(),
  })
  .refine((r) => r.body === undefined || r.bodyBase64 === undefined, {
    error: 'give either "body" or "bodyBase64", not both',
  });

export type LoggedRequest = z.infer<typeof loggedRequestSchema>;
/** A logged request and the line of the log it came from, for messages and reports. */
export type NumberedRequest = LoggedRequest & { line: number };

const EXAMPLE = '{"method":"GET","path":"/catalog/albums"}';

/** Reads and validates a whole request log; an error names the file, the line and the field. */
export function readRequestLog(file: string): NumberedRequest[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ShadowError(
      'ERR_PARITY_REQUESTS_UNREADABLE',
      `${file}: cannot read the request log (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pass a JSON Lines file with --requests`,
    );
  }
  return parseRequestLog(text, file);
}

export function parseRequestLog(text: string, file: string): NumberedRequest[] {
  const requests: NumberedRequest[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ShadowError(
        'ERR_PARITY_REQUESTS_INVALID',
        `${where}: not valid JSON (${(error as Error).message}); each line is one object like ${EXAMPLE}`,
      );
    }
    const parsed = loggedRequestSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.length > 0 ? `field "${issue.path.map(String).join('.')}"` : 'line';
      throw new ShadowError(
        'ERR_PARITY_REQUESTS_INVALID',
        `${where}: ${field}: ${issue.message}; e.g. ${EXAMPLE}`,
      );
    }
    requests.push({ ...parsed.data, line: index + 1 });
  });
  if (requests.length === 0)
    throw new ShadowError(
      'ERR_PARITY_REQUESTS_INVALID',
      `${file}: the request log has no requests; write one JSON object per line, e.g. ${EXAMPLE}`,
    );
  return requests;
}

/** The request to send: JSON values are serialised with a JSON content type unless the log gave one; the correlation ID becomes a header. */
export function toShadowRequest(logged: LoggedRequest): ShadowRequest {
  const headers: Record<string, string | string[]> = { ...logged.headers };
  const has = (wanted: string) =>
    Object.keys(headers).some((name) => name.toLowerCase() === wanted);
  // The same ID on both targets lets their logs be matched with the report.
  if (logged.correlationId !== undefined && !has(CORRELATION_HEADER))
    headers[CORRELATION_HEADER] = logged.correlationId;
  let body: Buffer | undefined;
  if (logged.bodyBase64 !== undefined) body = Buffer.from(logged.bodyBase64, 'base64');
  else if (typeof logged.body === 'string') body = Buffer.from(logged.body, 'utf8');
  else if (logged.body !== undefined) {
    body = Buffer.from(JSON.stringify(logged.body), 'utf8');
    if (!has('content-type')) headers['content-type'] = 'application/json';
  }
  return { method: logged.method, path: logged.path, headers, body };
}
