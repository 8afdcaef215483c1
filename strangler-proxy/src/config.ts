import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ProxyError } from './errors';
import { IDEMPOTENT_METHODS, type RoutesFile, routesFileSchema } from './config-schema';
import { formatIssue, formatProblem } from './config-issues';
import { compilePattern } from './route-pattern';
import { checkDataOwnership } from './data-ownership';
import { checkServedPaths } from './served-paths';

export type {
  RoutesFile,
  RouteSpec,
  UpstreamSpec,
  BreakerSpec,
  RetrySpec,
  LimitsSpec,
  DataSetSpec,
} from './config-schema';

/**
 * Reads, parses and validates a routes file; throws a ProxyError naming the file,
 * the route, the field and the fix. The result is deeply frozen.
 *
 * @example const routes = loadRoutesFile('strangler-proxy/routes.yaml');
 */
export function loadRoutesFile(file: string): RoutesFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProxyError(
      'ERR_ROUTES_FILE_UNREADABLE',
      `${file}: cannot read the routes file (${(error as Error).message}); check ROUTES_FILE or --routes`,
    );
  }
  return parseRoutesText(text, file);
}

/** Parses YAML (or JSON, by extension or a leading "{") and validates it. */
export function parseRoutesText(text: string, file: string): RoutesFile {
  const raw = parseRaw(text, file);
  const parsed = routesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => formatIssue(displayName(file), issue, raw));
    throw new ProxyError('ERR_ROUTES_INVALID', lines.join('\n'));
  }
  checkReferences(parsed.data, displayName(file));
  checkDataOwnership(parsed.data, displayName(file));
  checkServedPaths(parsed.data, displayName(file));
  return deepFreeze(parsed.data);
}

function displayName(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

function parseRaw(text: string, file: string): unknown {
  const name = displayName(file);
  if (file.endsWith('.json') || text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ProxyError(
        'ERR_ROUTES_FILE_SYNTAX',
        `${name}: invalid JSON (${(error as Error).message}); fix the syntax or use YAML`,
      );
    }
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const at = first.linePos
      ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}`
      : '';
    throw new ProxyError(
      'ERR_ROUTES_FILE_SYNTAX',
      `${name}: invalid YAML${at}: ${first.message.split('\n')[0]}; fix the indentation or quoting there`,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // SECURITY: the yaml library stops "billion laughs" documents (aliases of aliases) here.
    throw new ProxyError(
      'ERR_ROUTES_FILE_SYNTAX',
      `${name}: the YAML repeats aliases (*name) too often to expand safely (${(error as Error).message}); write the repeated values out instead of nesting aliases`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProxyError(
      'ERR_ROUTES_FILE_SYNTAX',
      `${name}: the routes file must be a mapping with version, upstreams, default and routes (see strangler-proxy/routes.yaml)`,
    );
  }
  return value;
}

function checkReferences(routes: RoutesFile, file: string): void {
  const known = Object.keys(routes.upstreams);
  const unknownUpstream = (where: string, to: string) =>
    new ProxyError(
      'ERR_ROUTE_UNKNOWN_UPSTREAM',
      formatProblem(
        file,
        where,
        'to',
        `upstream "${to}" is not defined (known: ${known.join(', ')})`,
        `use one of the known upstreams or add "${to}" under upstreams`,
      ),
    );
  if (!routes.upstreams[routes.default.to])
    throw unknownUpstream('default route', routes.default.to);
  const seen = new Map<string, string>();
  const names = new Set<string>();
  for (const route of routes.routes) {
    const where = `route "${route.name}"`;
    if (route.name === 'default' || names.has(route.name)) {
      throw invalid(
        formatProblem(
          file,
          where,
          'name',
          route.name === 'default'
            ? '"default" is reserved for the default route'
            : 'is used by two routes',
          'give every route its own name',
        ),
      );
    }
    names.add(route.name);
    if (!routes.upstreams[route.to]) throw unknownUpstream(where, route.to);
    checkShadow(routes, file, where, route.shadow);
    if (route.promote && route.shadow?.upstream !== route.to) {
      throw invalid(
        formatProblem(
          file,
          where,
          'promote',
          `promotes towards "${route.to}" but ${route.shadow ? `shadows "${route.shadow.upstream}"` : 'has no shadow'}; the match rate comes from shadowing the candidate`,
          `set to: <candidate>, percent: 0 and shadow: <candidate>, e.g. to: catalog, percent: 0, shadow: catalog, promote: auto`,
        ),
      );
    }
    checkRetry(file, where, route.retry?.methods);
    const source = route.match.path ?? route.match.prefix ?? '';
    let shape: string;
    try {
      const compiled = compilePattern(source, routes.caseSensitive);
      shape = compiled.segments.map((s) => ('literal' in s ? s.literal : ':')).join('/');
    } catch (error) {
      throw invalid(
        formatProblem(
          file,
          where,
          route.match.path ? 'match.path' : 'match.prefix',
          (error as Error).message,
          'e.g. /catalog/albums/:id',
        ),
      );
    }
    const key = [
      route.match.path ? 'path' : 'prefix',
      shape,
      [...(route.match.methods ?? [])].sort().join(','),
      route.match.header?.name.toLowerCase() ?? '',
      route.match.header?.value ?? '',
      route.match.version ?? '',
    ].join('|');
    const twin = seen.get(key);
    if (twin)
      throw invalid(
        formatProblem(
          file,
          where,
          'match',
          `matches exactly the same requests as route "${twin}"`,
          'merge the two routes or make one more specific (methods, header)',
        ),
      );
    seen.set(key, route.name);
  }
  checkRetry(file, 'default route', routes.default.retry?.methods);
  routes.deprecations.forEach((deprecation, index) => {
    const field = deprecation.match.path ? 'match.path' : 'match.prefix';
    try {
      compilePattern(
        deprecation.match.path ?? deprecation.match.prefix ?? '',
        routes.caseSensitive,
      );
    } catch (error) {
      throw invalid(
        formatProblem(
          file,
          `deprecation ${index + 1}`,
          field,
          (error as Error).message,
          'e.g. /catalog/albums',
        ),
      );
    }
  });
}

function checkShadow(
  routes: RoutesFile,
  file: string,
  where: string,
  shadow: RoutesFile['routes'][number]['shadow'],
): void {
  if (!shadow) return;
  const known = Object.keys(routes.upstreams);
  const target = routes.upstreams[shadow.upstream];
  if (!target) {
    throw new ProxyError(
      'ERR_ROUTE_UNKNOWN_UPSTREAM',
      formatProblem(
        file,
        where,
        'shadow.upstream',
        `upstream "${shadow.upstream}" is not defined (known: ${known.join(', ')})`,
        `use one of the known upstreams or add "${shadow.upstream}" under upstreams`,
      ),
    );
  }
  // SECURITY: a mirrored write runs a second time on the candidate; only a declared sandbox may take it.
  if (shadow.sandbox && !target.sandbox) {
    throw invalid(
      formatProblem(
        file,
        where,
        'shadow.sandbox',
        `mirrors POST/PUT/PATCH/DELETE to upstream "${shadow.upstream}", which is not marked sandbox: true`,
        `mark the upstream "sandbox: true" if its writes go nowhere real, or remove shadow.sandbox to mirror only GET and HEAD`,
      ),
    );
  }
}

function checkRetry(file: string, where: string, methods: readonly string[] | undefined): void {
  const unsafe = (methods ?? []).filter((m) => !IDEMPOTENT_METHODS.has(m));
  if (unsafe.length > 0) {
    throw invalid(
      formatProblem(
        file,
        where,
        'retry.methods',
        `${unsafe.join(', ')} is not idempotent and cannot be retried safely`,
        'retry only GET, HEAD, OPTIONS, PUT or DELETE',
      ),
    );
  }
}

function invalid(message: string): ProxyError {
  return new ProxyError('ERR_ROUTES_INVALID', message);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
