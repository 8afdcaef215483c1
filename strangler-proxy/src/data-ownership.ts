import { type RouteSpec, type RoutesFile, WRITE_METHODS } from './config-schema';
import { closestName } from '../../common/src/did-you-mean';
import { formatProblem } from './config-issues';
import { ProxyError } from './errors';

/**
 * The data ownership rule, in one place. A route with `writes: <set>` may send its
 * write methods (POST, PUT, PATCH, DELETE) only to the set's owner: two services
 * writing the same data hand out the same ids and overwrite each other's rows.
 * Routes restricted to reads (`match.methods` within GET, HEAD, OPTIONS) canary freely.
 * Every path that installs a table (routes file edit, flip, admin API, dashboard,
 * `promote: auto`, owner change) runs through `checkDataOwnership`.
 */

/** The write methods a route matches: none for a reads-only route. */
export function writeMethodsOf(route: Pick<RouteSpec, 'match'>): string[] {
  const methods = route.match.methods ?? [...WRITE_METHODS];
  return methods.filter((method) => WRITE_METHODS.has(method));
}

/** Every upstream a route's write requests can reach, and how. */
export function writeTargetsOf(
  route: RouteSpec,
  config: RoutesFile,
): Array<{ upstream: string; how: string }> {
  const writes = writeMethodsOf(route);
  if (writes.length === 0) return [];
  const rest = config.default.to;
  const targets: Array<{ upstream: string; how: string }> = [];
  if (route.percent >= 100 || route.to === rest) targets.push({ upstream: route.to, how: 'to' });
  else if (route.percent <= 0)
    targets.push({ upstream: rest, how: 'percent 0 (the default route takes it all)' });
  else {
    targets.push({ upstream: route.to, how: `percent ${route.percent}` });
    targets.push({
      upstream: rest,
      how: `the other ${100 - route.percent}% (the default route's upstream)`,
    });
  }
  const fallback =
    route.fallback === true ? [] : route.fallback === false ? [] : route.fallback.methods;
  if (route.to !== rest && route.percent > 0 && fallback.some((m) => writes.includes(m)))
    targets.push({ upstream: rest, how: 'fallback' });
  if (route.shadow?.sandbox)
    targets.push({ upstream: route.shadow.upstream, how: 'shadow (mirrors writes)' });
  return targets;
}

/** The YAML of a read-only canary beside a write route: what to do instead of canarying writes. */
export function readCanaryYaml(route: RouteSpec, upstream: string, percent: number): string {
  const where =
    route.match.path !== undefined ? `path: ${route.match.path}` : `prefix: ${route.match.prefix}`;
  return [
    `  - name: ${route.name}-read`,
    `    match: { ${where}, methods: [GET, HEAD] }`,
    `    to: ${upstream}`,
    ...(percent < 100 ? [`    percent: ${percent}`] : []),
  ].join('\n');
}

/** Throws ERR_DATA_OWNERSHIP (or ERR_ROUTES_INVALID for an undeclared set) when the table breaks the rule. */
export function checkDataOwnership(config: RoutesFile, file: string): void {
  const sets = Object.keys(config.dataSets);
  for (const [set, spec] of Object.entries(config.dataSets)) {
    if (!config.upstreams[spec.owner]) {
      throw new ProxyError(
        'ERR_ROUTE_UNKNOWN_UPSTREAM',
        formatProblem(
          file,
          `data set "${set}"`,
          'owner',
          `upstream "${spec.owner}" is not defined (known: ${Object.keys(config.upstreams).join(', ')})`,
          'name the upstream that writes this data, e.g. owner: monolith',
        ),
      );
    }
  }
  for (const route of config.routes) {
    if (route.writes === undefined) continue;
    const owner = config.dataSets[route.writes]?.owner;
    if (owner === undefined) {
      const close = closestName(route.writes, sets);
      throw new ProxyError(
        'ERR_ROUTES_INVALID',
        formatProblem(
          file,
          `route "${route.name}"`,
          'writes',
          `data set "${route.writes}" is not declared under dataSets (declared: ${sets.join(', ') || 'none'})${close ? `; did you mean "${close}"?` : ''}`,
          `declare it, e.g. dataSets: { ${route.writes}: { owner: ${config.default.to} } }, or fix the name`,
        ),
      );
    }
    const wrong = writeTargetsOf(route, config).filter((t) => t.upstream !== owner);
    if (wrong.length === 0) continue;
    const methods = writeMethodsOf(route).join(', ');
    const via = wrong.map((t) => `"${t.upstream}" (by ${t.how})`).join(' and ');
    const candidate = wrong.find((t) => t.upstream !== config.default.to)?.upstream ?? route.to;
    const percent = route.percent > 0 && route.percent < 100 ? route.percent : 100;
    const readTwin = config.routes.find(
      (other) =>
        other !== route &&
        writeMethodsOf(other).length === 0 &&
        other.match.prefix === route.match.prefix &&
        other.match.path === route.match.path,
    );
    const readCanary = readTwin
      ? `flip its read route (match.methods: [GET, HEAD]) instead: npx strangler flip ${readTwin.name} --to ${candidate}${percent < 100 ? ` --percent ${percent}` : ''}`
      : `add a read route (match.methods: [GET, HEAD]) under routes:\n${readCanaryYaml(route, candidate, percent)}\n`;
    throw new ProxyError(
      'ERR_DATA_OWNERSHIP',
      `${file}: route "${route.name}" writes data set "${route.writes}", owned by "${owner}", but would send its ${methods} to ${via}: ` +
        `two services writing the same data hand out the same ids and overwrite each other's rows. This table is refused; the current one keeps serving.\n` +
        `Fix: canary the reads only: keep route "${route.name}" on "${owner}" at 100% and ${readCanary}\n` +
        `or hand the writes over first: npx strangler data handover ${route.writes} --to ${candidate}`,
    );
  }
}
