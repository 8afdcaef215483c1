import type { RoutesFile } from '../config';
import { checkDataOwnership } from '../data-ownership';
import { buildRouteTable, type CompiledRoute } from '../route-table';
import { DROPPABLE, HOW_TO_REMOVE, featuresDropped } from './carried-features';
import { configHeader } from './config-header';
import { deprecationMaps } from './deprecation-maps';
import { bodyLimits } from './body-limits';
import { NginxError } from './nginx-error';
import { serverBlock } from './named-locations';
import { indent, quote } from './nginx-syntax';
import { locationMaps, routeMaps } from './route-maps';
import type { AnsweredByNginx } from './route-choices';
import { type Shadowed, shadowMaps, shadowedRoutes } from './shadow-mirror';
import { nginxUpstreams, type UpstreamBlock } from './upstream-blocks';
import type { RenderOptions, RenderedConfig } from './render-options';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/.source;

/**
 * The routes file as one complete nginx configuration: upstreams, the route
 * table as a regex `map` in the Node table's precedence order, canaries through
 * `split_clients` with the Node proxy's sticky cohorts, per-route timeouts,
 * idempotent-only retries, GET/HEAD fallback to the monolith, correlation IDs
 * and a JSON access log naming route and upstream.
 *
 * @example const { text } = renderNginxConfig(loadRoutesFile('routes.yaml'), { listen: { host: '127.0.0.1', port: 8080 }, source: 'routes.yaml' });
 */
export function renderNginxConfig(config: RoutesFile, options: RenderOptions): RenderedConfig {
  // The control plane of `proxy start --engine nginx` passes both; an export has neither.
  const controlPlane = options.shadowCollector !== undefined && options.openBreakers !== undefined;
  const dropped = featuresDropped(config, {
    shadow: options.shadowCollector !== undefined,
    breaker: options.openBreakers !== undefined,
    promote: controlPlane,
  });
  const allowed = new Set(options.allowDrop ?? []);
  const refused = dropped.filter((d) => !allowed.has(d.feature));
  if (refused.length > 0) {
    throw new NginxError(
      'ERR_NGINX_EXPORT_REFUSED',
      `${options.source}: nginx would silently drop what this routes file depends on:\n${refused
        .map(
          (d) =>
            `  - ${d.feature} (${d.where.join(', ')}): ${DROPPABLE[d.feature]}; to do without it, ${HOW_TO_REMOVE[d.feature]}`,
        )
        .join(
          '\n',
        )}\nKeep the Node proxy for it, or accept the loss by name: --allow-drop ${refused.map((d) => d.feature).join(',')}`,
    );
  }
  // The write-ownership rule, as every table is checked: a route's writes reach only its data set's owner.
  checkDataOwnership(config, options.source);
  const table = buildRouteTable(config);
  checkCookieNames(table.routes, options.source);
  const held = options.held ?? new Map<string, number>();
  const open = options.openBreakers ?? new Set<string>();
  const upstreams = nginxUpstreams(config, table.routes);
  const shadowed = options.shadowCollector ? shadowedRoutes(config, table.routes) : [];
  const lines = [
    ...configHeader(
      options,
      dropped,
      shadowed.length > 0,
      controlPlane && config.routes.some((route) => route.promote),
    ),
    ...mainContext(options),
    'http {',
    ...indent(
      httpContext(
        config,
        table.routes,
        table.monolith,
        upstreams,
        options,
        { held, open },
        shadowed,
      ),
    ),
    '}',
  ];
  return { text: `${lines.join('\n')}\n`, dropped };
}

function mainContext(options: RenderOptions): string[] {
  return [
    ...(options.runAsRoot
      ? [
          '# Started as root: workers stay root so they can use the (private) data folder.',
          'user root;',
        ]
      : []),
    'worker_processes auto;',
    '# The route table is a regex map: compile the regexes to machine code.',
    'pcre_jit on;',
    'pid nginx.pid;',
    'error_log error.log warn;',
    'events {',
    '  worker_connections 4096;',
    '}',
    '',
  ];
}

function httpContext(
  config: RoutesFile,
  routes: readonly CompiledRoute[],
  monolith: string,
  upstreams: Map<string, UpstreamBlock>,
  options: RenderOptions,
  answered: AnsweredByNginx,
  shadowed: readonly Shadowed[],
): string[] {
  const limits = config.limits;
  const out: string[] = [
    'server_tokens off;',
    'default_type application/octet-stream;',
    'client_body_temp_path client_body_temp;',
    'proxy_temp_path proxy_temp;',
    'fastcgi_temp_path fastcgi_temp;',
    'uwsgi_temp_path uwsgi_temp;',
    'scgi_temp_path scgi_temp;',
    '',
    '# Limits (routes file `limits`).',
    `large_client_header_buffers 4 ${Math.ceil(limits.maxHeaderBytes / 1024)}k;`,
    `client_header_timeout ${limits.headersTimeoutMs}ms;`,
    `keepalive_timeout ${limits.keepAliveTimeoutMs}ms;`,
    ...bodyLimits(limits),
    '',
    '# One JSON line per request, the fields of the Node proxy access log.',
    `log_format strangler_json escape=json '{"time":"$time_iso8601","correlationId":"$strangler_correlation_id","method":"$request_method","path":"$uri","route":"$strangler_route","upstream":"$strangler_served","target":"$strangler_upstream","fellBack":"$strangler_fell_back","breakerOpen":"$strangler_breaker_open","status":$status,"durationSeconds":$request_time,"upstreamStatus":"$upstream_status","bytes":$body_bytes_sent}';`,
    `access_log ${options.accessLog ?? 'access.log'} strangler_json buffer=32k flush=1s;`,
    '',
    '# The correlation ID: a safe one from the client, otherwise a new one.',
    'map $http_x_correlation_id $strangler_correlation_id {',
    `  ${quote(`~${CORRELATION_ID}`)} $http_x_correlation_id;`,
    '  default $request_id;',
    '}',
    'map $http_upgrade $strangler_connection {',
    '  default upgrade;',
    '  "" "";',
    '}',
    ...routeHeaderMap(config),
    ...(config.trustForwardedHeaders
      ? [
          '# trustForwardedHeaders: keep what the load balancer in front sent.',
          'map $http_x_forwarded_proto $strangler_forwarded_proto {',
          '  "" $scheme;',
          '  default $http_x_forwarded_proto;',
          '}',
          'map $http_x_forwarded_host $strangler_forwarded_host {',
          '  "" $http_host;',
          '  default $http_x_forwarded_host;',
          '}',
        ]
      : []),
    '',
    ...upstreamBlocks(upstreams),
    ...routeMaps(config, routes, monolith),
    ...breakerMap(answered.open),
    ...deprecationMaps(config, options.now ?? Date.now()),
    ...locationMaps(routes, monolith, answered),
    ...(options.shadowCollector ? shadowMaps(shadowed, options.shadowCollector) : []),
    'server {',
    ...indent(serverBlock(config, routes, monolith, upstreams, options, answered, shadowed)),
    '}',
  ];
  return out;
}

/**
 * `routeHeader`: "<route> -> <upstream that answered>" on every answer an upstream sent (the
 * last one, after retries or a fallback). An answer nginx made itself (no upstream answer
 * headers: `$upstream_header_time` is empty or ends in "-") gets none, as in the Node proxy.
 */
function routeHeaderMap(config: RoutesFile): string[] {
  if (!config.routeHeader) return [];
  return [
    `# routeHeader (${config.routeHeader}): the route and the upstream whose answer this is.`,
    'map $upstream_header_time $strangler_route_header {',
    '  "" "";',
    `  ${quote('~(?:^|[ ,:])-$')} "";`,
    '  default "$strangler_route -> $strangler_served";',
    '}',
  ];
}

/**
 * `$strangler_breaker_open`: 1 when the route's upstream has an open breaker, so the access
 * log tells the control plane that this request never reached it (its statuses are the fallback's).
 */
function breakerMap(open: ReadonlySet<string>): string[] {
  return [
    'map $strangler_upstream $strangler_breaker_open {',
    ...[...open].sort().map((upstream) => `  ${quote(upstream)} 1;  # circuit breaker open`),
    '  default 0;',
    '}',
  ];
}

function upstreamBlocks(upstreams: Map<string, UpstreamBlock>): string[] {
  const out: string[] = [];
  for (const block of upstreams.values()) {
    out.push(`upstream ${block.name} {`);
    if (block.tries > 1)
      out.push(`  # ${block.tries} entries: nginx retries on another entry of the group.`);
    for (let i = 0; i < block.tries; i++) out.push(`  server ${block.hostPort} max_fails=0;`);
    out.push(`  keepalive ${block.keepalive};`, '}');
  }
  out.push('');
  return out;
}

function checkCookieNames(routes: readonly CompiledRoute[], source: string): void {
  for (const route of routes) {
    const cookie = route.sticky?.cookie;
    if (cookie && !/^[A-Za-z0-9_]+$/.test(cookie))
      throw new NginxError(
        'ERR_NGINX_EXPORT_REFUSED',
        `${source}: route "${route.name}": sticky cookie "${cookie}" cannot be read by nginx ($cookie_NAME takes letters, digits and "_" only); rename the cookie or stick by a header`,
      );
    if (route.header && /[^\t\x20-\x7e]/.test(route.header.value ?? ''))
      throw new NginxError(
        'ERR_NGINX_EXPORT_REFUSED',
        `${source}: route "${route.name}": header value must be printable ASCII for nginx`,
      );
  }
}
