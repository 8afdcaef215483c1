import { z } from 'zod';
import { shadowSpecSchema } from './shadow';

/** The schema of the routes file (`routes.yaml`, JSON accepted). Fix hints live in `config-issues.ts`. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
  'PUT',
  'DELETE',
]);

/** Methods that change data: a route's `writes:` data set decides where these may go. */
export const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

const name = z.string().regex(NAME, { error: 'must be 1-63 letters, digits, ".", "_" or "-"' });
const method = z.preprocess(
  (value) => (typeof value === 'string' ? value.toUpperCase() : value),
  z.enum(HTTP_METHODS, { error: `must be one of ${HTTP_METHODS.join(', ')}` }),
);
const millis = z.number().int().positive().max(3_600_000);
const headerName = z
  .string()
  .regex(HEADER_NAME, { error: 'must be an HTTP header name like x-customer-id' });

const breakerSchema = z.strictObject({
  failureRate: z.number().gt(0).max(1).default(0.5),
  minRequests: z.number().int().min(1).default(10),
  windowMs: millis.min(100).default(10_000),
  openMs: millis.default(5_000),
  halfOpenRequests: z.number().int().min(1).max(100).default(1),
});

function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      (url.pathname === '/' || url.pathname === '') &&
      !url.search &&
      !url.username
    );
  } catch {
    return false;
  }
}

const upstreamSchema = z.strictObject({
  url: z
    .string()
    .refine(isHttpOrigin, { error: 'must be an http(s) origin without path or credentials' }),
  timeoutMs: millis.default(30_000),
  healthPath: z.string().startsWith('/').optional(),
  connections: z.number().int().min(1).max(4096).default(128),
  breaker: z.union([z.literal(false), breakerSchema]).prefault({}),
  /** The path prefixes this upstream answers (unset: anything): a route elsewhere is never sent to it. */
  serves: z.array(z.string().startsWith('/')).min(1).optional(),
  /** A sandbox's writes go nowhere real: only a sandbox may receive mirrored POST/PUT/PATCH/DELETE. */
  sandbox: z.boolean().default(false),
});

const matchSchema = z
  .strictObject({
    prefix: z.string().optional(),
    path: z.string().optional(),
    methods: z.array(method).min(1).optional(),
    header: z.strictObject({ name: headerName, value: z.string().optional() }).optional(),
    /** The API major version the request asks for in `versionHeader` ("2", "v2", "2.1" → 2). */
    version: z.number().int().min(1).max(999).optional(),
  })
  .refine((m) => (m.prefix === undefined) !== (m.path === undefined), {
    error: 'needs exactly one of "prefix" or "path"',
  });

const dateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/, {
    error: 'must be a date like 2027-06-30 (or an ISO time like 2027-06-30T00:00:00Z)',
  })
  .refine((text) => !Number.isNaN(Date.parse(text)), { error: 'is not a real date' });

/** Callers of an old API version get `Deprecation` and `Sunset` headers (RFC 9745, RFC 8594). */
const deprecationSchema = z
  .strictObject({
    match: z.strictObject({
      prefix: z.string().optional(),
      path: z.string().optional(),
      methods: z.array(method).min(1).optional(),
    }),
    /** The deprecated major version: requests that ask for another one in versionHeader are not told. */
    version: z.number().int().min(1).max(999).default(1),
    sunset: dateText,
    since: dateText.optional(),
    link: z.url({ error: 'must be a URL, e.g. https://example.com/docs/catalog-v2' }).optional(),
  })
  .refine((d) => (d.match.prefix === undefined) !== (d.match.path === undefined), {
    error: 'needs exactly one of "prefix" or "path"',
    path: ['match'],
  })
  .refine((d) => !d.since || Date.parse(d.since) <= Date.parse(d.sunset), {
    error: 'since must not be after sunset',
    path: ['since'],
  });

const stickySchema = z
  .strictObject({ header: headerName.optional(), cookie: z.string().regex(HEADER_NAME).optional() })
  .refine((s) => (s.header === undefined) !== (s.cookie === undefined), {
    error: 'needs exactly one of "header" or "cookie"',
  });

const retrySchema = z.strictObject({
  attempts: z.number().int().min(1).max(5),
  backoffMs: z.number().int().min(0).max(10_000).default(50),
  methods: z.array(method).min(1).default(['GET', 'HEAD', 'OPTIONS']),
});

const fallbackSchema = z.union([z.boolean(), z.strictObject({ methods: z.array(method).min(1) })]);

/** `promote: auto` walks the route shadow → 5 → 25 → 50 → 100 % while the shadow match rate and the candidate's error rate hold. */
export const PROMOTION_STEPS = ['shadow', 5, 25, 50, 100] as const;
const promoteSchema = z.preprocess(
  (value) => (value === 'auto' ? {} : value),
  z.strictObject({
    minMatchRate: z.number().min(0).max(1).default(0.99),
    maxErrorRate: z.number().min(0).max(1).default(0.01),
    windowMs: millis.min(100).default(300_000),
    minRequests: z.number().int().min(1).default(100),
    paused: z.boolean().default(false),
  }),
);

const routeSchema = z.strictObject({
  name,
  match: matchSchema,
  to: name,
  percent: z.number().min(0).max(100).default(100),
  sticky: stickySchema.optional(),
  fallback: fallbackSchema.default(false),
  retry: retrySchema.optional(),
  timeoutMs: millis.optional(),
  shadow: shadowSpecSchema.optional(),
  promote: promoteSchema.optional(),
  /** The data set (under `dataSets:`) this route's POST/PUT/PATCH/DELETE change: only its owner may take them. */
  writes: name.optional(),
});

/** A data set and the one upstream allowed to write it (`strangler data handover` moves it). */
const dataSetSchema = z.strictObject({ owner: name });

const defaultRouteSchema = z.strictObject({
  to: name,
  retry: retrySchema.optional(),
  timeoutMs: millis.optional(),
});

const limitsSchema = z
  .strictObject({
    maxBodyBytes: z
      .number()
      .int()
      .min(0)
      .default(1024 ** 3),
    maxHeaderBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024)
      .default(16 * 1024),
    /** Bodies up to this size are received whole before the upstream request opens (slow senders hold no upstream connection); larger ones stream on. */
    bufferBodyBytes: z
      .number()
      .int()
      .min(0)
      .max(64 * 1024 * 1024)
      .default(64 * 1024),
    /** The time a client has to send the buffered part of its body (else 408). */
    bodyTimeoutMs: millis.default(30_000),
    /** Bodies one client address may be sending at once (else 429). */
    maxBodiesPerClient: z.number().int().min(1).max(100_000).default(64),
    headersTimeoutMs: millis.default(10_000),
    requestTimeoutMs: millis.default(300_000),
    keepAliveTimeoutMs: millis.default(5_000),
  })
  .refine((l) => l.headersTimeoutMs <= l.requestTimeoutMs, {
    error: 'headersTimeoutMs must not exceed requestTimeoutMs',
    path: ['headersTimeoutMs'],
  })
  .refine((l) => l.bodyTimeoutMs <= l.requestTimeoutMs, {
    error: 'bodyTimeoutMs must not exceed requestTimeoutMs',
    path: ['bodyTimeoutMs'],
  });

export const routesFileSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  caseSensitive: z.boolean().default(false),
  trustForwardedHeaders: z.boolean().default(false),
  /** contracts.yaml (relative to this file): `flip` to 100 % and `promote: auto` ask it first. */
  contracts: z.string().min(1).optional(),
  /** The request header routes match `version` against (Accept-Version: 2). */
  versionHeader: headerName.default('accept-version'),
  /** A response header naming the route and the upstream that answered (`catalog-read -> catalog-service`); off unless named. */
  routeHeader: z
    .union([z.literal(false), headerName.transform((name) => name.toLowerCase())])
    .default(false),
  deprecations: z.array(deprecationSchema).default([]),
  upstreams: z
    .record(name, upstreamSchema)
    .refine((u) => Object.keys(u).length > 0, { error: 'needs at least one upstream' }),
  default: defaultRouteSchema,
  routes: z.array(routeSchema).default([]),
  /** Who owns which data: routes with `writes: <set>` send writes only to the set's owner. */
  dataSets: z.record(name, dataSetSchema).default({}),
  limits: limitsSchema.prefault({}),
});

export type RoutesFile = z.infer<typeof routesFileSchema>;
export type RouteSpec = RoutesFile['routes'][number];
export type UpstreamSpec = RoutesFile['upstreams'][string];
export type BreakerSpec = Exclude<UpstreamSpec['breaker'], false>;
export type RetrySpec = NonNullable<RouteSpec['retry']>;
export type LimitsSpec = RoutesFile['limits'];
export type RouteShadowSpec = NonNullable<RouteSpec['shadow']>;
export type PromoteSpec = NonNullable<RouteSpec['promote']>;
export type DataSetSpec = RoutesFile['dataSets'][string];
export type DeprecationSpec = RoutesFile['deprecations'][number];
