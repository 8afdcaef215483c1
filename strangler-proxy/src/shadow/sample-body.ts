import type { Difference } from './difference';
import { headerOf, type ResponseSnapshot } from './compare-responses';
import { decodeContent } from './decode-content';

/** A response kept as an example: the body as text, cut to a size cap. */
export interface SampledResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  bodyBytes: number;
  truncated: boolean;
}

// SECURITY: samples are shown on the dashboard and written to reports; credentials in headers are not.
const REDACTED = new Set([
  'set-cookie',
  'cookie',
  'authorization',
  'proxy-authorization',
  'www-authenticate',
]);

/** Renders a body for people: JSON values as JSON text, bytes as UTF-8, cut to `maxBytes`. */
export function sampleResponse(response: ResponseSnapshot, maxBytes: number): SampledResponse {
  const body = response.body;
  const bytes =
    body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(body)
        ? decodeContent(body, headerOf(response.headers, 'content-encoding'))
        : Buffer.from(typeof body === 'string' ? body : renderJson(body), 'utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    headers[lower] = REDACTED.has(lower)
      ? '[redacted]'
      : Array.isArray(value)
        ? value.join(', ')
        : String(value);
  }
  return {
    status: response.status,
    headers,
    body: bytes.subarray(0, maxBytes).toString('utf8'),
    bodyBytes: bytes.length,
    truncated: bytes.length > maxBytes,
  };
}

/** Differences with large values shortened, so one sample cannot hold a whole body twice over. */
export function shortenDifferences(
  differences: Difference[],
  maxCount: number,
  maxValueChars: number,
): Difference[] {
  return differences.slice(0, maxCount).map((d) => ({
    ...d,
    a: shortenValue(d.a, maxValueChars),
    b: shortenValue(d.b, maxValueChars),
  }));
}

function shortenValue(value: unknown, maxChars: number): unknown {
  if (
    value === undefined ||
    value === null ||
    (typeof value !== 'object' && String(value).length <= maxChars)
  )
    return value;
  const text = renderJson(value);
  if (text === TOO_DEEP) return TOO_DEEP;
  return text.length <= maxChars ? value : { truncated: true, preview: text.slice(0, maxChars) };
}

const TOO_DEEP = '(cannot render: nested too deep)';

function renderJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // necessary because a body nested deeper than the stack cannot be stringified
    return TOO_DEEP;
  }
}
