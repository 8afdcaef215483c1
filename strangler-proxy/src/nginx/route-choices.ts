import { WRITE_METHODS, HTTP_METHODS } from '../config-schema';
import type { CompiledRoute } from '../route-table';
import { canaryHundredths } from '../sticky-hash';

/** Where a route can send a request, and which named location (retry, fallback, held) forwards it. */

/** What the control plane makes nginx answer without forwarding, until the next reload. */
export interface AnsweredByNginx {
  /** Data sets whose writes are held (a handover), with the seconds a client should wait. */
  held: ReadonlyMap<string, number>;
  /** Upstreams whose circuit breaker is open. */
  open: ReadonlySet<string>;
}

export function isHeldWrite(
  route: CompiledRoute,
  method: string,
  held: ReadonlyMap<string, number>,
): boolean {
  return route.writes !== null && held.has(route.writes) && WRITE_METHODS.has(method);
}

export function variantOf(
  route: CompiledRoute,
  method: string,
  upstream: string,
  monolith: string,
) {
  return {
    retry: route.retry?.methods.includes(method as never) === true,
    fallback: upstream !== monolith && route.fallbackMethods.has(method),
  };
}

export function variantUsed(
  route: CompiledRoute,
  upstream: string,
  monolith: string,
  retry: boolean,
  fallback: boolean,
): boolean {
  if (!retry && !fallback) return true;
  return HTTP_METHODS.some((method) => {
    if (route.methods && !route.methods.has(method)) return false;
    const v = variantOf(route, method, upstream, monolith);
    return v.retry === retry && v.fallback === fallback;
  });
}

export function routeFallsBack(route: CompiledRoute, monolith: string): boolean {
  return upstreamsOf(route, monolith).some((u) => u !== monolith) && route.fallbackMethods.size > 0;
}

export function locationName(
  i: number,
  upstream: string,
  retry: boolean,
  fallback: boolean,
): string {
  return `@strangler_${i}_${upstream}${retry ? '_retry' : ''}${fallback ? '_fallback' : ''}`;
}

export function isCanary(route: CompiledRoute, monolith: string): boolean {
  return route.to !== monolith && route.percent < 100 && canaryHundredths(route.percent) > 0;
}

export function upstreamOf(route: CompiledRoute, monolith: string): string {
  if (route.to === monolith || route.percent >= 100) return route.to;
  return canaryHundredths(route.percent) > 0 ? route.to : monolith;
}

/** The upstreams a route can send to: its target, and the monolith while it is a canary. */
export function upstreamsOf(route: CompiledRoute, monolith: string): string[] {
  return isCanary(route, monolith) ? [route.to, monolith] : [upstreamOf(route, monolith)];
}
