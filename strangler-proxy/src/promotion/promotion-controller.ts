import type { Logger } from 'pino';
import { consultContracts } from '../contract-gate';
import { PROMOTION_STEPS, type PromoteSpec, type RouteSpec } from '../config-schema';
import type { PromotionView } from '../dashboard';
import type { ProxyPlugin } from '../exchange';
import type { RoutesStore } from '../routes-store';
import type { RouteTable } from '../route-table';
import type { ResultsStore } from '../shadow';

export interface PromotionOptions {
  routes: RoutesStore;
  results: ResultsStore;
  logger: Logger;
  /** How often the windows are checked (default: every 5 s). */
  checkEveryMs?: number;
  now?: () => number;
  /** Called after every check, pause and resume: the proxy persists the state then. */
  onChange?: () => void;
}

type Step = (typeof PROMOTION_STEPS)[number];

interface Window {
  at: number;
  compared: number;
  matched: number;
  requests: number;
  errors: number;
}

interface RouteState {
  state: 'running' | 'paused' | 'rolled-back' | 'done';
  reason?: string;
  updatedAt?: string;
  window: Window;
  held: boolean;
  requests: number;
  errors: number;
}

/** One route's promotion as persisted across restarts (`percent`: where the route stood). */
export interface SavedPromotion extends RouteState {
  percent: number;
}

const percentText = (share: number) => `${(share * 100).toFixed(1)}%`;

/** The step a percent stands on: 0 is the shadow step, otherwise the highest step not above it. */
export function stepOf(percent: number): Step {
  return (
    [...PROMOTION_STEPS].reverse().find((step) => step !== 'shadow' && step <= percent) ?? 'shadow'
  );
}

/**
 * `promote: auto`: walks a route shadow → 5 → 25 → 50 → 100 % while the shadow match rate
 * and the candidate's error rate hold over a window; on a breach it rolls back to the
 * shadow step and waits for `resume`. Every move is written to the routes file (atomically,
 * through the store) and logged.
 */
export function createPromotionController(options: PromotionOptions) {
  const { routes, results, logger } = options;
  const now = options.now ?? Date.now;
  const states = new Map<string, RouteState>();

  function stateOf(name: string): RouteState {
    let state = states.get(name);
    if (!state)
      states.set(
        name,
        (state = {
          state: 'running',
          window: { at: now(), compared: 0, matched: 0, requests: 0, errors: 0 },
          held: false,
          requests: 0,
          errors: 0,
        }),
      );
    return state;
  }

  function openWindow(name: string, state: RouteState): void {
    const shadow = results.summary().find((r) => r.route === name);
    state.window = {
      at: now(),
      compared: shadow?.compared ?? 0,
      matched: shadow?.matched ?? 0,
      requests: state.requests,
      errors: state.errors,
    };
  }

  function move(
    route: RouteSpec,
    state: RouteState,
    percent: number,
    next: RouteState['state'],
    reason: string,
  ): void {
    try {
      routes.change(route.name, { percent }, 'promotion');
    } catch (error) {
      state.state = 'paused';
      state.held = true;
      // A step the data ownership rule refuses (writes to a non-owner) waits with the rule's own words.
      state.reason = ['ERR_DATA_OWNERSHIP', 'ERR_ROUTE_NOT_SERVED'].includes(
        (error as { code?: string }).code ?? '',
      )
        ? `step to ${percent}% refused: ${(error as Error).message}`
        : `cannot write the routes file: ${(error as Error).message}`;
      logger.error(
        { route: route.name, err: error },
        'promotion paused: the routes file could not be written',
      );
      return;
    }
    Object.assign(state, { state: next, reason, updatedAt: new Date(now()).toISOString() });
    if (next === 'rolled-back') state.held = true;
    logger[next === 'rolled-back' ? 'warn' : 'info'](
      {
        audit: true,
        action: 'promotion',
        route: route.name,
        from: route.percent,
        to: percent,
        state: next,
        reason,
      },
      `promotion ${next === 'rolled-back' ? 'rolled back' : 'moved'} ${route.name} to ${percent}%`,
    );
    openWindow(route.name, state);
  }

  /** Holds a due step while the candidate's contracts fail; every check asks again. */
  function waitForContracts(route: RouteSpec, state: RouteState, why: string): void {
    const reason = `waiting for contracts before the next step: ${why}`;
    state.state = 'paused';
    if (state.reason === reason) return;
    logger.warn(
      { audit: true, action: 'promotion', route: route.name, state: 'paused', reason },
      `promotion of ${route.name} held by its contracts`,
    );
    Object.assign(state, { reason, updatedAt: new Date(now()).toISOString() });
  }

  function evaluate(route: RouteSpec, spec: PromoteSpec): void {
    const state = stateOf(route.name);
    const step = stepOf(route.percent);
    if (spec.paused || state.held) {
      if (state.state !== 'rolled-back')
        Object.assign(state, {
          state: 'paused',
          reason: spec.paused ? 'paused in the routes file (promote.paused)' : state.reason,
        });
      return openWindow(route.name, state);
    }
    if (step === 100) return void Object.assign(state, { state: 'done' });
    const shadow = results.summary().find((r) => r.route === route.name);
    const compared = (shadow?.compared ?? 0) - state.window.compared;
    const matchRate = compared > 0 ? ((shadow?.matched ?? 0) - state.window.matched) / compared : 1;
    const requests = state.requests - state.window.requests;
    const errorRate = requests > 0 ? (state.errors - state.window.errors) / requests : 0;
    const measured = `match rate ${percentText(matchRate)} over ${compared} compared, error rate ${percentText(errorRate)} over ${requests} requests`;
    if (
      (compared >= spec.minRequests && matchRate < spec.minMatchRate) ||
      (requests >= spec.minRequests && errorRate > spec.maxErrorRate)
    ) {
      return move(
        route,
        state,
        0,
        'rolled-back',
        `${measured} breached min match rate ${percentText(spec.minMatchRate)} / max error rate ${percentText(spec.maxErrorRate)}`,
      );
    }
    state.state = 'running';
    if (now() - state.window.at < spec.windowMs || compared < spec.minRequests) return;
    const next = PROMOTION_STEPS[PROMOTION_STEPS.indexOf(step) + 1] as number;
    const contracts = consultContracts(routes.current().config, routes.file, route.to);
    if (contracts && !contracts.allowed) return waitForContracts(route, state, contracts.reason);
    move(
      route,
      state,
      next,
      next === 100 ? 'done' : 'running',
      `${measured} held for ${Math.round(spec.windowMs / 1000)} s`,
    );
  }

  /** Checks every promoted route once (the timer calls it; tests call it directly). */
  function check(): void {
    for (const route of routes.current().config.routes)
      if (route.promote) evaluate(route, route.promote);
    options.onChange?.();
  }

  /** Every promoted route's state, to persist. */
  function save(): Record<string, SavedPromotion> {
    const saved: Record<string, SavedPromotion> = {};
    for (const route of routes.current().config.routes)
      if (route.promote && states.has(route.name))
        saved[route.name] = { ...states.get(route.name)!, percent: route.percent };
    return saved;
  }

  /**
   * Takes up the promotions of a previous run (at start, with the shadow results it saved).
   * A route still at the saved step keeps its window and counts, the time the proxy was down
   * not counted; a route the routes file moved meanwhile starts a new window. A rollback or a
   * pause stays until an operator resumes it.
   */
  function restore(saved: Record<string, SavedPromotion>, savedAt: number): void {
    const downMs = Math.max(0, now() - savedAt);
    for (const route of routes.current().config.routes) {
      const previous = saved[route.name];
      if (!route.promote || !previous) continue;
      const { percent, ...state } = previous;
      const step = stepOf(route.percent);
      if (percent === route.percent) {
        state.window = { ...state.window, at: state.window.at + downMs };
        const compared =
          (results.summary().find((r) => r.route === route.name)?.compared ?? 0) -
          state.window.compared;
        if (state.state === 'running' || state.state === 'done')
          state.reason = `resumed after a restart at step ${step === 'shadow' ? 'shadow' : `${step}%`}; its window keeps the ${compared} comparisons and ${state.requests - state.window.requests} requests seen so far`;
        states.set(route.name, state);
      } else {
        states.set(route.name, state);
        openWindow(route.name, state);
        if (!state.held) state.state = 'running';
        state.reason = `the routes file moved this route from ${percent}% to ${route.percent}% while the proxy was down: the window starts over${state.held ? ` (still ${state.state}: ${previous.reason ?? ''})` : ''}`;
      }
      state.updatedAt = new Date(now()).toISOString();
      logger.info(
        {
          audit: true,
          action: 'promotion',
          route: route.name,
          state: state.state,
          reason: state.reason,
        },
        `promotion of ${route.name} taken up after a restart`,
      );
    }
  }

  // necessary because onFinish runs for every request: the promoted names are found once per table.
  const promotedByTable = new WeakMap<RouteTable, ReadonlySet<string>>();
  function promotedIn(table: RouteTable): ReadonlySet<string> {
    let names = promotedByTable.get(table);
    if (!names)
      promotedByTable.set(
        table,
        (names = new Set(table.config.routes.filter((r) => r.promote).map((r) => r.name))),
      );
    return names;
  }

  /** One answer: counted when its route is promoted and the candidate (the route's `to`) gave it. */
  function count(
    table: RouteTable,
    route: Pick<RouteSpec, 'name' | 'to'>,
    upstream: string | null,
    failed: boolean,
  ) {
    if (upstream !== route.to || !promotedIn(table).has(route.name)) return;
    const state = stateOf(route.name);
    state.requests++;
    if (failed) state.errors++;
  }

  const plugin: ProxyPlugin = {
    name: 'promotion',
    onFinish(exchange) {
      const route = exchange.decision?.route;
      if (route)
        count(
          exchange.table,
          route,
          exchange.upstream,
          Boolean(exchange.error) || exchange.status >= 500,
        );
    },
  };

  /**
   * An answer another data plane served (the nginx access log): route name, the upstream
   * that answered, status. Counted as the plugin counts the Node proxy's answers.
   */
  function countServed(routeName: string, upstream: string, status: number): void {
    const table = routes.current();
    const route = table.config.routes.find((r) => r.name === routeName);
    if (route) count(table, route, upstream, status >= 500);
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    plugin,
    countServed,
    check,
    save,
    restore,
    start(): void {
      timer ??= setInterval(check, options.checkEveryMs ?? 5_000).unref();
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },
    pause(name: string, reason = 'paused by an operator'): void {
      Object.assign(stateOf(name), {
        state: 'paused',
        held: true,
        reason,
        updatedAt: new Date(now()).toISOString(),
      });
      logger.info(
        { audit: true, action: 'promotion', route: name, state: 'paused' },
        `promotion of ${name} paused`,
      );
      options.onChange?.();
    },
    resume(name: string): void {
      const state = stateOf(name);
      Object.assign(state, {
        state: 'running',
        held: false,
        reason: 'resumed by an operator',
        updatedAt: new Date(now()).toISOString(),
      });
      openWindow(name, state);
      logger.info(
        { audit: true, action: 'promotion', route: name, state: 'running' },
        `promotion of ${name} resumed`,
      );
      options.onChange?.();
    },
    /** The route's `promotion` field in GET /admin/routes (PromotionView), or undefined without `promote:`. */
    view(name: string): PromotionView | undefined {
      const route = routes.current().config.routes.find((r) => r.name === name);
      if (!route?.promote) return undefined;
      const state = stateOf(name);
      return {
        state: state.state,
        step: stepOf(route.percent),
        steps: [...PROMOTION_STEPS],
        reason: state.reason,
        updatedAt: state.updatedAt,
      };
    },
  };
}

export type PromotionController = ReturnType<typeof createPromotionController>;
