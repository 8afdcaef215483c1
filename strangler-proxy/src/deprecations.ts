import type { IncomingHttpHeaders } from 'node:http';
import { requestedMajor } from './api-version';
import type { DeprecationSpec } from './config-schema';
import { type CompiledPattern, compilePattern, matchPattern } from './route-pattern';

export interface CompiledDeprecation {
  pattern: CompiledPattern;
  prefix: boolean;
  methods: ReadonlySet<string> | null;
  version: number;
  /** Header values, computed once per table. */
  sunset: string;
  since: number | null;
  link: string | null;
}

export function compileDeprecations(
  specs: readonly DeprecationSpec[],
  caseSensitive: boolean,
): CompiledDeprecation[] {
  return specs.map((spec) => ({
    pattern: compilePattern(spec.match.path ?? spec.match.prefix ?? '/', caseSensitive),
    prefix: spec.match.path === undefined,
    methods: spec.match.methods ? new Set(spec.match.methods) : null,
    version: spec.version,
    sunset: new Date(Date.parse(spec.sunset)).toUTCString(),
    since: spec.since ? Math.floor(Date.parse(spec.since) / 1000) : null,
    link: spec.link ?? null,
  }));
}

/** The first deprecation that covers this request, if the caller asks for the deprecated version. */
export function findDeprecation(
  deprecations: readonly CompiledDeprecation[],
  method: string,
  segments: readonly string[],
  headers: IncomingHttpHeaders,
  versionHeader: string,
): CompiledDeprecation | null {
  if (deprecations.length === 0) return null;
  const major = requestedMajor(headers, versionHeader);
  for (const deprecation of deprecations) {
    if (deprecation.version !== major) continue;
    if (deprecation.methods && !deprecation.methods.has(method)) continue;
    if (matchPattern(deprecation.pattern, segments, deprecation.prefix)) return deprecation;
  }
  return null;
}

/**
 * RFC 9745 `Deprecation: @<seconds>` (since when; without `since`, the start of today: it is
 * deprecated as of now), RFC 8594 `Sunset: <HTTP-date>`, and `Link: <…>; rel="deprecation"`.
 */
export function deprecationHeaders(
  deprecation: CompiledDeprecation,
  now: number = Date.now(),
): Array<[string, string]> {
  const since = deprecation.since ?? Math.floor(now / 86_400_000) * 86_400;
  const headers: Array<[string, string]> = [
    ['Deprecation', `@${since}`],
    ['Sunset', deprecation.sunset],
  ];
  if (deprecation.link) headers.push(['Link', `<${deprecation.link}>; rel="deprecation"`]);
  return headers;
}
