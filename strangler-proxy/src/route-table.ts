import type { IncomingHttpHeaders } from 'node:http';
import { requestedMajor } from './api-version';
import type { RetrySpec, RoutesFile } from './config';
import { type CompiledDeprecation, compileDeprecations, findDeprecation } from './deprecations';
import { type CompiledPattern, compilePattern, matchPattern } from './route-pattern';
import { readCookie } from './cookies';
import { BUCKETS, bucketOf, isInCanary } from './sticky-hash';

export interface CompiledRoute {
  name: string;
  kind: 'path' | 'prefix';
  pattern: CompiledPattern;
  methods: ReadonlySet<string> | null;
  header: { name: string; value?: string } | null;
  /** The API major version asked for in the table's versionHeader, or null for any. */
  version: number | null;
  to: string;
  percent: number;
  sticky: { header?: string; cookie?: string } | null;
  fallbackMethods: ReadonlySet<string>;
  retry: RetrySpec | null;
  timeoutMs: number | null;
  order: number;
  /** The data set this route's write methods change (`writes:`), or null. */
  writes: string | null;
}

/** Where one request goes, and why (the `explain` text). */
export interface Decision {
  route: CompiledRoute;
  upstream: string;
  params: Record<string, string>;
  reason: string;
}

export interface RouteTable {
  readonly config: RoutesFile;
  /** The upstream that takes the rest of a canary and every fallback. */
  readonly monolith: string;
  /** Routes in precedence order, the default route last. */
  readonly routes: readonly CompiledRoute[];
  decide(
    method: string,
    segments: readonly string[],
    headers: IncomingHttpHeaders,
    random?: () => number,
  ): Decision;
  /** The deprecation (Deprecation / Sunset headers) that covers a request, if any. */
  deprecationFor(
    method: string,
    segments: readonly string[],
    headers: IncomingHttpHeaders,
  ): CompiledDeprecation | null;
}

const FALLBACK_DEFAULT = ['GET', 'HEAD'];

/**
 * Precedence, most specific first: (1) more literal segments, (2) more segments,
 * (3) `path` (exact) before `prefix`, (4) more conditions (methods, header),
 * (5) earlier in the file. The default route matches whatever is left.
 */
export function compareRoutes(a: CompiledRoute, b: CompiledRoute): number {
  return (
    b.pattern.literalCount - a.pattern.literalCount ||
    b.pattern.segments.length - a.pattern.segments.length ||
    (a.kind === b.kind ? 0 : a.kind === 'path' ? -1 : 1) ||
    conditionsOf(b) - conditionsOf(a) ||
    a.order - b.order
  );
}

function conditionsOf(route: CompiledRoute): number {
  return (route.methods ? 1 : 0) + (route.header ? 1 : 0) + (route.version !== null ? 1 : 0);
}

export function buildRouteTable(config: RoutesFile): RouteTable {
  const compiled = config.routes.map((spec, order): CompiledRoute => {
    const fallback =
      spec.fallback === true
        ? FALLBACK_DEFAULT
        : spec.fallback === false
          ? []
          : spec.fallback.methods;
    return {
      name: spec.name,
      kind: spec.match.path !== undefined ? 'path' : 'prefix',
      pattern: compilePattern(spec.match.path ?? spec.match.prefix ?? '/', config.caseSensitive),
      methods: spec.match.methods ? new Set(spec.match.methods) : null,
      header: spec.match.header
        ? { name: spec.match.header.name.toLowerCase(), value: spec.match.header.value }
        : null,
      version: spec.match.version ?? null,
      to: spec.to,
      percent: spec.percent,
      sticky: spec.sticky ?? null,
      fallbackMethods: new Set(fallback),
      retry: spec.retry ?? null,
      timeoutMs: spec.timeoutMs ?? null,
      order,
      writes: spec.writes ?? null,
    };
  });
  const defaultRoute: CompiledRoute = {
    name: 'default',
    kind: 'prefix',
    pattern: compilePattern('/', true),
    methods: null,
    header: null,
    version: null,
    to: config.default.to,
    percent: 100,
    sticky: null,
    fallbackMethods: new Set(),
    retry: config.default.retry ?? null,
    timeoutMs: config.default.timeoutMs ?? null,
    order: Number.MAX_SAFE_INTEGER,
    writes: null,
  };
  const routes = [...compiled.sort(compareRoutes), defaultRoute];
  const monolith = config.default.to;
  const versionHeader = config.versionHeader.toLowerCase();
  const deprecations = compileDeprecations(config.deprecations, config.caseSensitive);

  function decide(
    method: string,
    segments: readonly string[],
    headers: IncomingHttpHeaders,
    random = Math.random,
  ): Decision {
    for (const route of routes) {
      if (route.methods && !route.methods.has(method)) continue;
      if (route.header && !headerMatches(headers, route.header)) continue;
      if (route.version !== null && requestedMajor(headers, versionHeader) !== route.version)
        continue;
      const params = matchPattern(route.pattern, segments, route.kind === 'prefix');
      if (params) return split(route, params, headers, random);
    }
    throw new Error('unreachable: the default route matches every path');
  }

  function split(
    route: CompiledRoute,
    params: Record<string, string>,
    headers: IncomingHttpHeaders,
    random: () => number,
  ): Decision {
    const matched =
      route.name === 'default'
        ? 'no route matched, default route'
        : `route "${route.name}" (${route.kind} ${route.pattern.source})`;
    if (route.percent >= 100 || route.to === monolith)
      return { route, upstream: route.to, params, reason: `${matched} → ${route.to}` };
    if (route.percent <= 0)
      return { route, upstream: monolith, params, reason: `${matched} at 0% → ${monolith}` };
    const key = stickyKeyOf(route, headers);
    const bucket = key === undefined ? Math.floor(random() * BUCKETS) : bucketOf(route.to, key);
    const upstream = isInCanary(bucket, route.percent) ? route.to : monolith;
    const how =
      key === undefined
        ? 'random draw'
        : `sticky ${route.sticky?.header ? `header ${route.sticky.header}` : `cookie ${route.sticky?.cookie}`}`;
    return {
      route,
      upstream,
      params,
      reason: `${matched}, canary ${route.percent}% to ${route.to} by ${how} (bucket ${bucket}) → ${upstream}`,
    };
  }

  function deprecationFor(
    method: string,
    segments: readonly string[],
    headers: IncomingHttpHeaders,
  ): CompiledDeprecation | null {
    return findDeprecation(deprecations, method, segments, headers, versionHeader);
  }

  return Object.freeze({ config, monolith, routes, decide, deprecationFor });
}

function headerMatches(
  headers: IncomingHttpHeaders,
  want: { name: string; value?: string },
): boolean {
  const value = headers[want.name];
  if (value === undefined) return false;
  return (
    want.value === undefined ||
    (Array.isArray(value) ? value.includes(want.value) : value === want.value)
  );
}

/** The request's sticky key (the route's `sticky` header or cookie), if the route has one and the request carries it. */
export function stickyKeyOf(
  route: CompiledRoute,
  headers: IncomingHttpHeaders,
): string | undefined {
  if (!route.sticky) return undefined;
  if (route.sticky.header) {
    const value = headers[route.sticky.header.toLowerCase()];
    return Array.isArray(value) ? value[0] : value || undefined;
  }
  const cookie = headers.cookie;
  return readCookie(cookie, route.sticky.cookie ?? '') || undefined;
}
