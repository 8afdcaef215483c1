import type { RoutesFile } from '../config';
import type { CompiledRoute } from '../route-table';
import type { ShadowSpec } from '../shadow';
import { canaryHundredths, stickyText } from '../sticky-hash';
import { quote } from './nginx-syntax';
import { stickyKeyVariable } from './route-maps';
import { SHADOW_HEADERS } from './shadow-collector';

/**
 * The nginx side of a parallel run (`shadow:`): the route's locations `mirror` a copy of
 * each request to an internal location, which drops the copies outside `shadow.percent` and
 * the methods the candidate may receive, and passes the rest to the shadow collector in the
 * control plane (shadow-collector.ts) with the route, the upstream that serves the client and
 * the correlation ID in headers. nginx discards the collector's answer; the collector answers
 * at once and compares later, so the client's connection is not held.
 */
export interface ShadowCollectorAddress {
  host: string;
  port: number;
  /** Sent with every copy: the collector refuses a request without it. */
  token: string;
}

/** Internal URIs start with this; a client request for one is answered 404. */
export const MIRROR_PREFIX = '/_strangler_shadow_';
/** How long nginx gives the collector (on loopback, answering before it compares). */
const COLLECTOR_TIMEOUT = '1s';

export interface Shadowed {
  index: number;
  route: CompiledRoute;
  spec: ShadowSpec;
}

/** The routes whose copies nginx sends to the collector (a share of 0 mirrors nothing). */
export function shadowedRoutes(config: RoutesFile, routes: readonly CompiledRoute[]): Shadowed[] {
  const out: Shadowed[] = [];
  routes.forEach((route, index) => {
    const spec = config.routes.find((r) => r.name === route.name)?.shadow;
    if (spec && spec.percent > 0) out.push({ index, route, spec });
  });
  return out;
}

/** http context: per shadowed route, `$strangler_shadow_skip_<i>` is 1 for a copy to drop. */
export function shadowMaps(
  shadowed: readonly Shadowed[],
  collector: ShadowCollectorAddress,
): string[] {
  if (shadowed.length === 0) return [];
  const out = [
    '# Shadow traffic: copies go to the shadow collector in the control plane, which reads the',
    "# primary again and compares its answer with the candidate's (GET/HEAD only).",
    'upstream strangler_shadow_collector {',
    `  server ${collector.host}:${collector.port} max_fails=0;`,
    '  keepalive 8;',
    '}',
  ];
  for (const { index, route, spec } of shadowed) {
    const methods = spec.sandbox ? '\\S+' : '(?:GET|HEAD)';
    out.push(
      `# route "${route.name}": shadow ${spec.percent}% to ${spec.upstream}${spec.sandbox ? ' (sandbox: every method)' : ', GET and HEAD'}`,
    );
    if (spec.percent >= 100) {
      out.push(
        `map $request_method $strangler_shadow_skip_${index} {`,
        `  ${quote(`~^${methods}$`)} 0;`,
        '  default 1;',
        '}',
      );
      continue;
    }
    // The share from the top of the candidate's buckets, per user on a sticky route (as the Node proxy).
    const key = stickyKeyVariable(route);
    let drawn = '$request_id';
    if (key) {
      drawn = `$strangler_shadow_key_${index}`;
      out.push(
        `map ${key} ${drawn} {`,
        '  "" $request_id;  # no key: a random draw',
        `  default ${quote(`${stickyText(spec.upstream, '')}${key}`)};`,
        '}',
      );
    }
    const outside = 10_000 - canaryHundredths(spec.percent);
    out.push(
      `split_clients ${quote(drawn)} $strangler_shadow_draw_${index} {`,
      `  ${(outside / 100).toFixed(2)}% 0;`,
      '  * 1;',
      '}',
      `map "$request_method $strangler_shadow_draw_${index}" $strangler_shadow_skip_${index} {`,
      `  ${quote(`~^${methods} 1$`)} 0;`,
      '  default 1;',
      '}',
    );
  }
  out.push('');
  return out;
}

/**
 * server context, before the defaults are `set`: a mirrored copy shares the variables of the
 * client's request, so it must not reset the upstream that request is served by.
 */
export function keepClientVariables(shadowed: readonly Shadowed[]): string[] {
  if (shadowed.length === 0) return [];
  return [`if ($uri ~ ${quote(`^${MIRROR_PREFIX}`)}) {`, '  break;', '}'];
}

/** In a route's location for `upstream`: mirror the request, unless it already goes to the candidate. */
export function mirrorLines(
  shadowed: readonly Shadowed[],
  index: number,
  upstream: string,
): string[] {
  const entry = shadowed.find((s) => s.index === index);
  if (!entry || entry.spec.upstream === upstream) return [];
  return [
    `mirror ${MIRROR_PREFIX}${index};`,
    // Only a sandbox receives bodies; without it nginx need not wait for one.
    `mirror_request_body ${entry.spec.sandbox ? 'on' : 'off'};`,
  ];
}

/** server context: the internal locations that pass copies to the collector. */
export function mirrorLocations(
  shadowed: readonly Shadowed[],
  collector: ShadowCollectorAddress,
): string[] {
  const out: string[] = [];
  for (const { index, route } of shadowed) {
    out.push(
      '',
      `# route "${route.name}": its mirrored copies, to the shadow collector`,
      `location = ${MIRROR_PREFIX}${index} {`,
      '  internal;',
      `  if ($strangler_shadow_skip_${index}) {`,
      '    return 204;',
      '  }',
      '  proxy_pass http://strangler_shadow_collector$request_uri;',
      '  proxy_http_version 1.1;',
      `  proxy_set_header Host ${quote(`${collector.host}:${collector.port}`)};`,
      '  proxy_set_header Connection "";',
      '  proxy_set_header X-Correlation-Id $strangler_correlation_id;',
      `  proxy_set_header ${SHADOW_HEADERS.route} ${quote(route.name)};`,
      `  proxy_set_header ${SHADOW_HEADERS.primary} $strangler_served;`,
      `  proxy_set_header ${SHADOW_HEADERS.token} ${quote(collector.token)};`,
      // Short: on a keep-alive connection the next request waits for the copy to finish.
      '  proxy_connect_timeout 100ms;',
      `  proxy_send_timeout ${COLLECTOR_TIMEOUT};`,
      `  proxy_read_timeout ${COLLECTOR_TIMEOUT};`,
      '  proxy_next_upstream off;',
      '}',
    );
  }
  return out;
}
