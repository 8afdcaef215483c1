import { request } from 'undici';
import { ProxyError } from './errors';
import { writeMethodsOf } from './data-ownership';
import type { RoutesStore } from './routes-store';
import type { Upstream, UpstreamRegistry } from './upstreams';
import { HOLD_DEFAULTS, HOLD_MAX_MS, type HoldView, type WriteHolds } from './write-hold';

export interface DataSetView {
  set: string;
  owner: string;
  /** Routes whose write methods change this set. */
  writeRoutes: string[];
  hold: HoldView | null;
}

/** GET /admin/data-sets: each data set, its owner, its write routes and its hold. */
export function describeDataSets(store: RoutesStore, holds: WriteHolds): DataSetView[] {
  const config = store.current().config;
  return Object.entries(config.dataSets).map(([set, spec]) => ({
    set,
    owner: spec.owner,
    writeRoutes: config.routes
      .filter((route) => route.writes === set && writeMethodsOf(route).length > 0)
      .map((route) => route.name),
    hold: holds.view(set),
  }));
}

/** The `:set` of /admin/data-sets/:set/*, checked by the admin router before the handlers below run. */
export function checkDataSet(store: RoutesStore, set: string): void {
  const sets = Object.keys(store.current().config.dataSets);
  if (!sets.includes(set))
    throw new ProxyError(
      'ERR_DATA_SET_UNKNOWN',
      `data set "${set}" is not declared under dataSets in the routes file (declared: ${sets.join(', ') || 'none'})`,
    );
}

const bad = (message: string) => new ProxyError('ERR_ADMIN_BAD_REQUEST', message);

/**
 * POST /admin/data-sets/:set/hold { maxMs?, maxQueued? }: answers once the hold is in force,
 * i.e. no write of the set is still on its way to the old owner (see WriteHolds.hold).
 */
export function startHold(holds: WriteHolds, set: string, body: unknown) {
  const value = (body ?? {}) as { maxMs?: unknown; maxQueued?: unknown };
  if (typeof value !== 'object' || Array.isArray(value))
    throw bad('send a JSON object like {"maxMs":5000,"maxQueued":1000}');
  const maxMs = value.maxMs ?? HOLD_DEFAULTS.maxMs;
  const maxQueued = value.maxQueued ?? HOLD_DEFAULTS.maxQueued;
  if (typeof maxMs !== 'number' || !Number.isInteger(maxMs) || maxMs < 1 || maxMs > HOLD_MAX_MS)
    throw bad(`"maxMs" must be whole milliseconds from 1 to ${HOLD_MAX_MS} (default 5000)`);
  if (typeof maxQueued !== 'number' || !Number.isInteger(maxQueued) || maxQueued < 0)
    throw bad('"maxQueued" must be a whole number ≥ 0 (default 1000)');
  // Half the hold's time at most goes to waiting for writes already forwarded; the rest is the handover's.
  return holds.hold(set, { maxMs, maxQueued }, Math.ceil(maxMs / 2));
}

/** DELETE /admin/data-sets/:set/hold { holdId? } */
export function releaseHold(holds: WriteHolds, set: string, body: unknown) {
  return holds.release(set, holdIdOf(body));
}

/** PUT /admin/data-sets/:set/owner { owner, holdId? } */
export async function changeOwner(
  store: RoutesStore,
  upstreams: UpstreamRegistry,
  holds: WriteHolds,
  set: string,
  body: unknown,
  actor: string,
) {
  const owner = (body as { owner?: unknown } | null)?.owner;
  if (typeof owner !== 'string' || owner === '')
    throw bad('send a JSON object like {"owner":"catalog-service","holdId":"hold-…"}');
  const holdId = holdIdOf(body);
  const hold = holds.view(set);
  if (holdId !== undefined && hold?.holdId !== holdId)
    throw new ProxyError(
      'ERR_HOLD_CONFLICT',
      hold
        ? `data set "${set}" is held by ${hold.holdId}, not ${holdId}; the owner was not changed`
        : `hold ${holdId} of data set "${set}" is no longer active (it expired or was released); the owner was not changed: hold the writes again first`,
    );
  const upstream = upstreams.snapshot().get(owner);
  if (!upstream)
    throw new ProxyError(
      'ERR_HOLD_CONFLICT',
      `upstream "${owner}" is not defined in the routes file (known: ${[...upstreams.snapshot().keys()].join(', ')}); the owner was not changed`,
    );
  const unreachable = await reachability(upstream);
  if (unreachable)
    throw new ProxyError(
      'ERR_HOLD_CONFLICT',
      `upstream "${owner}" cannot be reached (${unreachable}); the owner was not changed: start it and try again`,
    );
  const written = store.changeOwner(set, owner, actor);
  return {
    set,
    before: written.before,
    owner: written.owner,
    routes: written.routes,
    version: store.version,
  };
}

function holdIdOf(body: unknown): string | undefined {
  const holdId = (body as { holdId?: unknown } | null)?.holdId;
  if (holdId !== undefined && typeof holdId !== 'string') throw bad('"holdId" must be a string');
  return holdId;
}

/** null when the upstream answers its healthPath with 2xx (or, without one, answers at all); else why not. */
async function reachability(upstream: Upstream, timeoutMs = 2_000): Promise<string | null> {
  const path = upstream.spec.healthPath ?? '/';
  try {
    const response = await request(upstream.origin + path, {
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await response.body.dump();
    if (upstream.spec.healthPath && (response.statusCode < 200 || response.statusCode >= 300))
      return `GET ${path} answered ${response.statusCode}`;
    return null;
  } catch (error) {
    return `GET ${path}: ${(error as { code?: string }).code ?? (error as Error).message}`;
  }
}
