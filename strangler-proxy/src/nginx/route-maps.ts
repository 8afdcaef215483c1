import type { RoutesFile } from '../config';
import { HTTP_METHODS } from '../config-schema';
import type { CompiledRoute } from '../route-table';
import { stickyText, canaryHundredths } from '../sticky-hash';
import { pathRegex, quote, versionRegex } from './nginx-syntax';
import {
  type AnsweredByNginx,
  isCanary,
  isHeldWrite,
  locationName,
  upstreamOf,
  upstreamsOf,
  variantOf,
} from './route-choices';

/** The `map` and `split_clients` blocks: request → route → upstream → named location. */
/** `$strangler_route`: the first route (Node precedence order) whose conditions all hold. */
export function routeMaps(
  config: RoutesFile,
  routes: readonly CompiledRoute[],
  monolith: string,
): string[] {
  const out: string[] = [];
  const headers: Array<{ name: string; value?: string }> = [];
  const headerIndex = (h: { name: string; value?: string }) => {
    let i = headers.findIndex((x) => x.name === h.name && x.value === h.value);
    if (i === -1) i = headers.push(h) - 1;
    return i;
  };
  for (const route of routes) if (route.header) headerIndex(route.header);
  headers.forEach((h, i) => {
    out.push(`map ${headerVariable(h.name)} $strangler_h${i} {`);
    if (h.value === undefined) out.push('  "" 0;', '  default 1;');
    else out.push(`  ${quote(`~^${escapeRegex(h.value)}$`)} 1;`, '  default 0;');
    out.push('}');
  });
  // Routes with `version:` and `deprecations:` both read the asked-for major version.
  const usesVersion = routes.some((r) => r.version !== null) || config.deprecations.length > 0;
  if (usesVersion) {
    out.push(
      `# The API major version asked for in ${config.versionHeader}: "2", "v2", "2.1" → 2; none → 1.`,
      `map ${headerVariable(config.versionHeader.toLowerCase())} $strangler_api_major {`,
      '  "" 1;',
      `  ${quote('~*^\\s*v?(?<strangler_major>\\d{1,3})(\\.\\d{1,3}){0,2}\\s*$')} $strangler_major;`,
      '  default none;',
      '}',
    );
  }
  const key = [
    '$request_method',
    ...headers.map((_, i) => `$strangler_h${i}`),
    ...(usesVersion ? ['$strangler_api_major'] : []),
    '$uri',
  ].join(' ');
  const operator = config.caseSensitive ? '~' : '~*';
  out.push(
    "# Routes in the Node route table's precedence order: nginx tries the regexes top to bottom.",
    `map ${quote(key)} $strangler_route {`,
  );
  for (const route of routes) {
    if (route.name === 'default') continue;
    const parts = [
      route.methods ? `(?:${[...route.methods].join('|')})` : '\\S+',
      ...headers.map((_, i) => (route.header && headerIndex(route.header) === i ? '1' : '[01]')),
      ...(usesVersion ? [route.version === null ? '\\S+' : versionRegex(route.version)] : []),
      pathRegex(route),
    ];
    out.push(
      `  ${quote(`${operator}^${parts.join(' ')}$`)} ${quote(route.name)};  # ${describe(route)}`,
    );
  }
  out.push('  default default;', '}', '');

  out.push('# Where each route sends a request; canaries split by the sticky key.');
  routes.forEach((route, i) => {
    if (!isCanary(route, monolith)) return;
    const keyVariable = stickyKeyVariable(route);
    const hashed = `$strangler_sticky_${i}`;
    if (keyVariable) {
      out.push(
        `map ${keyVariable} ${hashed} {`,
        '  "" $request_id;  # no key: a random draw, like the Node proxy',
        `  default ${quote(`${stickyText(route.to, '')}${keyVariable}`)};`,
        '}',
      );
    }
    const hundredths = canaryHundredths(route.percent);
    out.push(
      `split_clients ${quote(keyVariable ? hashed : '$request_id')} $strangler_canary_${i} {`,
      `  ${(hundredths / 100).toFixed(2)}% ${route.to};`,
      `  * ${monolith};`,
      '}',
    );
  });
  out.push('map $strangler_route $strangler_upstream {');
  routes.forEach((route, i) => {
    const target = isCanary(route, monolith)
      ? `$strangler_canary_${i}`
      : upstreamOf(route, monolith);
    if (route.name === 'default') out.push(`  default ${target};`);
    else out.push(`  ${quote(route.name)} ${target};`);
  });
  out.push('}', '');
  return out;
}

/** `$strangler_location`: the named location that forwards for this route, method and upstream. */
export function locationMaps(
  routes: readonly CompiledRoute[],
  monolith: string,
  { held, open }: AnsweredByNginx,
): string[] {
  const plain = ['map "$strangler_route $strangler_upstream" $strangler_plain_location {'];
  const special = [
    '# Retries and fallbacks depend on the method: those combinations get their own location.',
    '# A request with a body is never sent twice (as in the Node proxy): it takes the plain one.',
    'map "$strangler_route $request_method$strangler_body $strangler_upstream" $strangler_location {',
    '  default $strangler_plain_location;',
  ];
  routes.forEach((route, i) => {
    for (const upstream of upstreamsOf(route, monolith)) {
      plain.push(
        `  ${quote(`${route.name} ${upstream}`)} ${locationName(i, upstream, false, false)};`,
      );
      for (const method of HTTP_METHODS) {
        if (route.methods && !route.methods.has(method)) continue;
        const answeredBy = (withBody: boolean) =>
          isHeldWrite(route, method, held)
            ? `@strangler_held_${route.writes}`
            : open.has(upstream)
              ? breakerOpenLocation(route, i, method, upstream, monolith, open, withBody)
              : null;
        if (answeredBy(false) !== null) {
          for (const withBody of [false, true])
            special.push(
              `  ${quote(`${route.name} ${method}${withBody ? ' body' : ''} ${upstream}`)} ${answeredBy(withBody)};`,
            );
          continue;
        }
        const variant = variantOf(route, method, upstream, monolith);
        if (!variant.retry && !variant.fallback) continue;
        special.push(
          `  ${quote(`${route.name} ${method} ${upstream}`)} ${locationName(i, upstream, variant.retry, variant.fallback)};`,
        );
      }
    }
  });
  plain.push('}');
  special.push('}', '');
  return [...plain, ...special];
}

/**
 * An open breaker, as the Node proxy answers it: a GET/HEAD the route lets fall back goes to
 * the monolith at once (unless the monolith's breaker is open too, or the request has a body,
 * which is never sent to a fallback); anything else is 503.
 */
function breakerOpenLocation(
  route: CompiledRoute,
  i: number,
  method: string,
  upstream: string,
  monolith: string,
  open: ReadonlySet<string>,
  withBody: boolean,
): string {
  const fallsBack =
    !withBody && variantOf(route, method, upstream, monolith).fallback && !open.has(monolith);
  return fallsBack ? `@strangler_${i}_fallback` : `@strangler_open_${upstream}`;
}

/** The nginx variable holding a sticky route's key (header or cookie), or null when it is not sticky. */
export function stickyKeyVariable(route: CompiledRoute): string | null {
  if (route.sticky?.header) return headerVariable(route.sticky.header.toLowerCase());
  if (route.sticky?.cookie) return `$cookie_${route.sticky.cookie}`;
  return null;
}

function headerVariable(name: string): string {
  return `$http_${name.toLowerCase().replace(/-/g, '_')}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function describe(route: CompiledRoute): string {
  const parts = [`${route.kind} ${route.pattern.source}`];
  if (route.methods) parts.push(`methods ${[...route.methods].join(',')}`);
  if (route.header)
    parts.push(`header ${route.header.name}${route.header.value ? `=${route.header.value}` : ''}`);
  if (route.version !== null) parts.push(`version ${route.version}`);
  return parts.join(', ');
}
