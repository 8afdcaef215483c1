import type { RoutesFile } from '../config';

/**
 * What the nginx export cannot carry. A routes file that uses one of these is
 * refused (it would be silently dropped) unless the caller accepts the loss by
 * name (`--allow-drop breaker,shadow`); accepted losses are listed in the
 * config's header.
 */
export const DROPPABLE = {
  breaker:
    'nginx has no circuit breaker of its own: the control process of `strangler proxy start --engine nginx` keeps the breakers (from the access log, reloading nginx when one opens or closes); a config exported to run elsewhere has none, so a failing upstream keeps getting every request (each waits up to its timeout) instead of failing fast for openMs; `fallback` still sends GET/HEAD to the monolith',
  shadow:
    'the parallel run needs the shadow collector of `strangler proxy start --engine nginx` (nginx `mirror` discards the mirrored answer; the collector compares instead); a config exported to run elsewhere has no collector to send copies to',
  promote:
    "`promote: auto` steps on the shadow match rate and the candidate's error rate, which the control process of `strangler proxy start --engine nginx` measures (shadow collector, access log); a config exported to run elsewhere has neither, and would never step",
} as const;

export type DroppableFeature = keyof typeof DROPPABLE;

/** How to take the feature out of the routes file instead of accepting the loss. */
export const HOW_TO_REMOVE: Record<DroppableFeature, string> = {
  breaker: 'set `breaker: false` on those upstreams',
  shadow: 'remove `shadow:` from those routes',
  promote: 'remove `promote:` from those routes (flip by hand: strangler flip)',
};

export const DROPPABLE_NAMES = Object.keys(DROPPABLE) as DroppableFeature[];

/** Carried with a difference worth knowing; always listed in the header, never refused. */
export const CARRIED_DIFFERENTLY = [
  'retry backoff: nginx retries at once (proxy_next_upstream), the Node proxy waits backoffMs × 2^n',
  'answers are buffered by nginx (proxy_buffering on); an upstream that streams (server-sent events) should send X-Accel-Buffering: no',
  'path normalisation: nginx decodes the whole path before matching and forwards the request URI as the client sent it; the Node proxy refuses encoded "/" and "\\" (400) and forwards the canonical path',
  "error answers made by the data plane itself (upstream refused or timed out, body too large) are nginx's own 502/504/413 pages, not the Node proxy's JSON error body; a body too slow is ended by closing the connection (logged 408), not answered 408",
  'every request body is received whole before the upstream request opens; the Node proxy does that up to limits.bufferBodyBytes and streams a larger body on (nginx keeps it in its client_body_temp folder meanwhile)',
  'limits.bodyTimeoutMs bounds the longest pause between two reads of a body (client_body_timeout), not the time for the whole body; limits.requestTimeoutMs has no nginx counterpart',
  'limits.maxBodiesPerClient counts a request with a body until its answer is sent (limit_conn), not only while its body arrives',
  'an empty header counts as absent for `match.header` (nginx cannot tell them apart)',
  "websocket upgrades are passed through without the Node proxy's per-route checks",
  'a deprecation without `since` is dated (Deprecation: @<seconds>) the day the config was generated, the Node proxy the day of the request; `proxy start --engine nginx` generates it again every day at 00:00 UTC',
] as const;

/** Listed in the header when the control plane keeps the circuit breakers (`proxy start --engine nginx`). */
export const BREAKER_CARRIED_DIFFERENTLY = [
  "breaker: the control process counts each upstream's answers from the access log, which nginx writes at least every second; a breaker opens up to about a second after the failure rate is reached, and takes effect with the reload that follows",
  'breaker: an open breaker is answered as the Node proxy does (GET/HEAD with `fallback` go to the monolith at once, the rest 503 ERR_UPSTREAM_UNAVAILABLE); after openMs nginx sends the upstream its traffic again, and the first halfOpenRequests answers read from the log close the breaker or open it again (not only halfOpenRequests probe requests, as in the Node proxy)',
] as const;

/** Listed in the header when a route has `promote:` (carried by the control process). */
export const PROMOTE_CARRIED_DIFFERENTLY = [
  "promote: the candidate's error rate is counted from the access log (up to about a second late), and each step takes effect with the reload that follows it",
] as const;

/** Listed in the header when a route has `shadow:` (carried through the shadow collector). */
export const SHADOW_CARRIED_DIFFERENTLY = [
  "shadow: the collector reads the primary a second time, moments after the client's request, and compares that answer (not the one the client got) with the candidate's; only GET and HEAD are compared",
  'shadow: a write to a sandbox candidate is sent to it (its data keeps in step) and counted as "uncompared-write", never compared',
  'shadow: copies wait for nothing but the loopback hop to the collector (it answers before comparing; proxy timeouts 100 ms connect, 1 s read); a copy the collector cannot take is lost, not retried',
  'shadow.percent: a random draw per request ($request_id), or per user on a sticky route',
] as const;

/** The dropped features a routes file depends on, each with where it is used. */
export function featuresDropped(
  config: RoutesFile,
  carries: { shadow: boolean; breaker: boolean; promote: boolean } = {
    shadow: false,
    breaker: false,
    promote: false,
  },
): Array<{ feature: DroppableFeature; where: string[] }> {
  const found = new Map<DroppableFeature, string[]>();
  const add = (feature: DroppableFeature, where: string) =>
    found.set(feature, [...(found.get(feature) ?? []), where]);
  for (const [name, upstream] of Object.entries(config.upstreams))
    if (upstream.breaker !== false && !carries.breaker) add('breaker', `upstream "${name}"`);
  for (const route of config.routes) {
    if (route.shadow && !carries.shadow) add('shadow', `route "${route.name}"`);
    if (route.promote && !carries.promote) add('promote', `route "${route.name}"`);
  }
  return [...found].map(([feature, where]) => ({ feature, where }));
}
