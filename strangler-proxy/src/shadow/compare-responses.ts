import { createHash } from 'node:crypto';
import { compileRules, type CompiledRules } from './compare-rules';
import { compareJson } from './compare-json';
import { decodeContent } from './decode-content';
import type { Comparison, Difference } from './difference';

export type HeaderValue = string | string[] | number | undefined;

/**
 * A response as the comparator sees it. A Buffer or string body is raw bytes
 * (parsed as JSON when the content type says JSON, or when the rules say `body: json`);
 * any other value (object, array, number, boolean, null) is an already-parsed JSON body.
 */
export interface ResponseSnapshot {
  status: number;
  headers?: Record<string, HeaderValue>;
  body?: Buffer | string | unknown;
}

export interface CompareOptions {
  /** Field paths learned as noise (see noise-learner.ts): `$.meta.requestId`, `headers.date`, `status`. */
  noise?: ReadonlySet<string>;
}

type DecodedBody = { kind: 'json'; value: unknown } | { kind: 'bytes'; bytes: Buffer };

const DEFAULT_RULES = compileRules({});
const NO_NOISE: ReadonlySet<string> = new Set();

/**
 * Compares the primary's answer (a) with the candidate's (b): status, the chosen headers, then the body.
 *
 * @example
 * const rules = compileRules({ headers: ['content-type'], ignore: ['$.meta'], arrayKeys: { '$.items': 'id' } });
 * const { match, differences } = compareResponses(monolithAnswer, serviceAnswer, rules);
 */
export function compareResponses(
  a: ResponseSnapshot,
  b: ResponseSnapshot,
  rules: CompiledRules = DEFAULT_RULES,
  options: CompareOptions = {},
): Comparison {
  const noise = options.noise ?? NO_NOISE;
  const out: Difference[] = [];
  if (rules.status && a.status !== b.status && !noise.has('status')) {
    out.push({ path: 'status', field: 'status', kind: 'status', a: a.status, b: b.status });
  }
  for (const name of rules.headers) {
    const path = `headers.${name}`;
    const valueA = headerOf(a.headers, name);
    const valueB = headerOf(b.headers, name);
    if (valueA !== valueB && !noise.has(path))
      out.push({ path, field: path, kind: 'header', a: valueA, b: valueB });
  }
  const truncated = compareBodies(a, b, rules, noise, out);
  return {
    match: out.length === 0,
    differences: out.slice(0, rules.maxDifferences),
    truncated: truncated || out.length > rules.maxDifferences,
  };
}

function compareBodies(
  a: ResponseSnapshot,
  b: ResponseSnapshot,
  rules: CompiledRules,
  noise: ReadonlySet<string>,
  out: Difference[],
): boolean {
  const bodyA = decodeBody(a, rules);
  const bodyB = decodeBody(b, rules);
  if (bodyA.kind === 'json' && bodyB.kind === 'json')
    return compareJson(bodyA.value, bodyB.value, rules, noise, out);
  if (noise.has('$') || rules.ignore.some((pattern) => pattern.steps.length === 0)) return false;
  if (bodyA.kind !== bodyB.kind) {
    out.push({
      path: '$',
      field: '$',
      kind: 'type',
      a: describeBody(bodyA),
      b: describeBody(bodyB),
    });
  } else if (bodyA.kind === 'bytes' && bodyB.kind === 'bytes' && !bodyA.bytes.equals(bodyB.bytes)) {
    out.push({
      path: '$',
      field: '$',
      kind: 'value',
      a: describeBody(bodyA),
      b: describeBody(bodyB),
    });
  }
  return false;
}

function decodeBody(response: ResponseSnapshot, rules: CompiledRules): DecodedBody {
  const body = response.body;
  if (body === undefined) return { kind: 'bytes', bytes: Buffer.alloc(0) };
  if (!Buffer.isBuffer(body) && typeof body !== 'string') return { kind: 'json', value: body };
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const bytes = decodeContent(raw, headerOf(response.headers, 'content-encoding'));
  const wantsJson =
    rules.body === 'json' ||
    (rules.body === 'auto' && isJsonType(headerOf(response.headers, 'content-type')));
  if (!wantsJson || bytes.length === 0) return { kind: 'bytes', bytes };
  try {
    return { kind: 'json', value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    // A JSON content type with a body that does not parse is compared as bytes: that is a difference worth seeing.
    return { kind: 'bytes', bytes };
  }
}

function isJsonType(contentType: string | undefined): boolean {
  return contentType !== undefined && /(^|\/|\+)json\b/i.test(contentType.split(';')[0].trim());
}

function describeBody(body: DecodedBody): unknown {
  if (body.kind === 'json') return { json: body.value };
  return {
    bytes: body.bytes.length,
    sha256: createHash('sha256').update(body.bytes).digest('hex'),
  };
}

/** A header's value by case-insensitive name; repeated headers join with ", " as HTTP allows. */
export function headerOf(
  headers: Record<string, HeaderValue> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return undefined;
}
