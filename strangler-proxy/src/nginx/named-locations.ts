import type { RoutesFile } from '../config';
import type { CompiledRoute } from '../route-table';
import { bodyCap, tooManyBodiesLocation } from './body-limits';
import { deprecationHeaderLines } from './deprecation-maps';
import { indent, quote } from './nginx-syntax';
import type { RenderOptions } from './render-options';
import {
  type AnsweredByNginx,
  locationName,
  routeFallsBack,
  upstreamsOf,
  variantUsed,
} from './route-choices';
import { keepClientVariables, mirrorLines, mirrorLocations, type Shadowed } from './shadow-mirror';
import { blockKey, type UpstreamBlock } from './upstream-blocks';

/** The server block: the dispatch, one named location per route, upstream and variant, and the held-writes answers. */
const FALLBACK_STATUSES = '500 501 502 503 504 505 507 508 510 511';
const RETRY_ON = 'error timeout http_500 http_502 http_503 http_504';

export function serverBlock(
  config: RoutesFile,
  routes: readonly CompiledRoute[],
  monolith: string,
  upstreams: Map<string, UpstreamBlock>,
  options: RenderOptions,
  { held, open }: AnsweredByNginx,
  shadowed: readonly Shadowed[],
): string[] {
  const out = [
    `listen ${options.listen.host}:${options.listen.port};`,
    ...keepClientVariables(shadowed),
    'set $strangler_served "";',
    'set $strangler_fell_back 0;',
    'recursive_error_pages on;',
    'proxy_hide_header X-Correlation-Id;',
    'add_header X-Correlation-Id $strangler_correlation_id always;',
    ...deprecationHeaderLines(config),
    ...(config.routeHeader
      ? [
          `proxy_hide_header ${config.routeHeader};`,
          `add_header ${config.routeHeader} $strangler_route_header always;`,
        ]
      : []),
    ...bodyCap(config.limits),
    '',
    '# Every request is handed to the named location of its route (error_page with a variable target).',
    'location / {',
    '  error_page 418 = $strangler_location;',
    '  return 418;',
    '}',
    ...tooManyBodiesLocation(config.limits),
    ...(options.shadowCollector ? mirrorLocations(shadowed, options.shadowCollector) : []),
  ];
  for (const [set, seconds] of held) {
    const body = JSON.stringify({
      error: {
        code: 'ERR_WRITES_HELD',
        message: `writes to data set "${set}" are on hold while it is handed over; nginx cannot queue them, so this request was not forwarded: send it again after ${seconds} s`,
      },
    });
    out.push(
      '',
      `# data set "${set}": writes held for a handover (nginx cannot queue them: the client retries)`,
      `location @strangler_held_${set} {`,
      `  set $strangler_served held;`,
      `  add_header Retry-After ${seconds} always;`,
      ...indent(ownAnswerHeaders(config)),
      '  default_type application/json;',
      `  return 503 ${quote(body)};`,
      '}',
    );
  }
  for (const upstream of [...open].sort()) {
    const body = JSON.stringify({
      error: {
        code: 'ERR_UPSTREAM_UNAVAILABLE',
        message: `circuit breaker for upstream "${upstream}" is open; it is retried automatically after its openMs`,
      },
    });
    out.push(
      '',
      `# upstream "${upstream}": circuit breaker open (answered at once, as the Node proxy does)`,
      `location @strangler_open_${upstream} {`,
      ...indent(ownAnswerHeaders(config)),
      '  default_type application/json;',
      `  return 503 ${quote(body)};`,
      '}',
    );
  }
  routes.forEach((route, i) => {
    const timeoutOf = (upstream: string) => route.timeoutMs ?? config.upstreams[upstream].timeoutMs;
    for (const upstream of upstreamsOf(route, monolith)) {
      for (const retry of [false, true]) {
        for (const fallback of [false, true]) {
          if (!variantUsed(route, upstream, monolith, retry, fallback)) continue;
          const tries = retry ? (route.retry?.attempts ?? 0) + 1 : 1;
          out.push(
            '',
            `# route "${route.name}" → ${upstream}${retry ? `, ${tries - 1} retries` : ''}${fallback ? ', falls back to the monolith' : ''}`,
            `location ${locationName(i, upstream, retry, fallback)} {`,
            `  set $strangler_served ${upstream};`,
            ...indent(mirrorLines(shadowed, i, upstream)),
            ...indent(proxyTo(upstreams, config, upstream, tries, timeoutOf(upstream))),
          );
          if (retry)
            out.push(`  proxy_next_upstream ${RETRY_ON};`, `  proxy_next_upstream_tries ${tries};`);
          else out.push('  proxy_next_upstream off;');
          if (fallback)
            out.push(
              '  proxy_intercept_errors on;',
              `  error_page ${FALLBACK_STATUSES} = @strangler_${i}_fallback;`,
            );
          out.push('}');
        }
      }
    }
    if (routeFallsBack(route, monolith)) {
      out.push(
        '',
        `# route "${route.name}": the monolith answers when the target failed (GET/HEAD by default)`,
        `location @strangler_${i}_fallback {`,
        `  set $strangler_served ${monolith};`,
        '  set $strangler_fell_back 1;',
        ...indent(proxyTo(upstreams, config, monolith, 1, timeoutOf(monolith))),
        '  proxy_next_upstream off;',
        '}',
      );
    }
  });
  return out;
}

/**
 * The server's answer headers, for a location with an `add_header` of its own (nginx then
 * inherits none of the server's).
 */
function ownAnswerHeaders(config: RoutesFile): string[] {
  return [
    'add_header X-Correlation-Id $strangler_correlation_id always;',
    ...deprecationHeaderLines(config),
  ];
}

function proxyTo(
  upstreams: Map<string, UpstreamBlock>,
  config: RoutesFile,
  upstream: string,
  tries: number,
  timeoutMs: number,
): string[] {
  const block = upstreams.get(blockKey(upstream, tries))!;
  return [
    `proxy_pass ${block.scheme}://${block.name};`,
    'proxy_http_version 1.1;',
    `proxy_set_header Host ${quote(block.hostPort)};`,
    'proxy_set_header Connection $strangler_connection;',
    'proxy_set_header Upgrade $http_upgrade;',
    'proxy_set_header X-Correlation-Id $strangler_correlation_id;',
    ...(config.trustForwardedHeaders
      ? [
          'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
          'proxy_set_header X-Forwarded-Proto $strangler_forwarded_proto;',
          'proxy_set_header X-Forwarded-Host $strangler_forwarded_host;',
        ]
      : [
          'proxy_set_header X-Forwarded-For $remote_addr;',
          'proxy_set_header X-Forwarded-Proto $scheme;',
          'proxy_set_header X-Forwarded-Host $http_host;',
        ]),
    `proxy_connect_timeout ${timeoutMs}ms;`,
    `proxy_send_timeout ${timeoutMs}ms;`,
    `proxy_read_timeout ${timeoutMs}ms;`,
  ];
}
