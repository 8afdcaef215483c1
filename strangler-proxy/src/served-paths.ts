import type { RouteSpec, RoutesFile } from './config-schema';
import { formatProblem } from './config-issues';
import { ProxyError } from './errors';
import { compilePattern, type PatternSegment } from './route-pattern';

/**
 * What an upstream can answer, in one place. An upstream may declare the path
 * prefixes it serves (`serves: [/catalog]`); a route whose requests it cannot
 * answer is never sent to it (as `to` or as `shadow`). An upstream without
 * `serves` takes anything (the monolith). Every path that installs a table
 * (routes file edit, flip, admin API, dashboard, `promote: auto`) runs through
 * `checkServedPaths`, from `parseRoutesText`.
 */

/** True when every request the route matches lies under one of the prefixes. */
export function servesRoute(
  serves: readonly string[],
  route: Pick<RouteSpec, 'match'>,
  caseSensitive: boolean,
): boolean {
  const routeSegments = compilePattern(
    route.match.path ?? route.match.prefix ?? '/',
    caseSensitive,
  ).segments;
  return serves.some((prefix) => {
    const served = compilePattern(prefix, caseSensitive).segments;
    return (
      served.length <= routeSegments.length &&
      served.every((segment, i) => covers(segment, routeSegments[i]))
    );
  });
}

/** A served segment covers a route segment: a served `:param` takes anything, a literal only itself. */
function covers(served: PatternSegment, route: PatternSegment): boolean {
  if ('param' in served) return true;
  return 'literal' in route && route.literal === served.literal;
}

/** Throws ERR_ROUTE_NOT_SERVED when a route sends requests to an upstream that does not serve them. */
export function checkServedPaths(config: RoutesFile, file: string): void {
  for (const [name, spec] of Object.entries(config.upstreams)) {
    spec.serves?.forEach((prefix, index) => {
      try {
        compilePattern(prefix, config.caseSensitive);
      } catch (error) {
        throw new ProxyError(
          'ERR_ROUTES_INVALID',
          formatProblem(
            file,
            `upstream "${name}"`,
            `serves[${index}]`,
            (error as Error).message,
            'list path prefixes, e.g. serves: [/catalog, /v2/catalog]',
          ),
        );
      }
    });
  }
  for (const route of config.routes) {
    const targets: Array<[string, string]> = [['to', route.to]];
    if (route.shadow) targets.push(['shadow.upstream', route.shadow.upstream]);
    for (const [field, upstream] of targets) {
      const serves = config.upstreams[upstream]?.serves;
      if (!serves || servesRoute(serves, route, config.caseSensitive)) continue;
      const path = route.match.path ?? route.match.prefix;
      const able = Object.entries(config.upstreams)
        .filter(([, spec]) => !spec.serves || servesRoute(spec.serves, route, config.caseSensitive))
        .map(([name]) => name);
      throw new ProxyError(
        'ERR_ROUTE_NOT_SERVED',
        formatProblem(
          file,
          `route "${route.name}"`,
          field,
          `upstream "${upstream}" does not serve ${path} (it serves: ${serves.join(', ')}); this table is refused, the current one keeps serving`,
          `send the route to an upstream that serves ${path} (${able.join(', ') || 'none declares it'}), or add the prefix to upstreams.${upstream}.serves if it does serve it`,
        ),
      );
    }
  }
}
