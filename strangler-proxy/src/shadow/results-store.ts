import type { Comparison, Difference } from './difference';
import type { ResponseSnapshot } from './compare-responses';
import { sampleResponse, type SampledResponse, shortenDifferences } from './sample-body';

export interface ResultsStoreOptions {
  maxRoutes?: number;
  maxFieldsPerRoute?: number;
  samplesPerRoute?: number;
  maxBodyBytes?: number;
  maxDifferencesPerSample?: number;
}

export interface ComparedExchange {
  route: string;
  method: string;
  path: string;
  correlationId: string;
  a: ResponseSnapshot;
  b: ResponseSnapshot;
  comparison: Comparison;
  at?: Date;
}

export interface ShadowSample {
  route: string;
  method: string;
  path: string;
  correlationId: string;
  timestamp: string;
  differences: Difference[];
  a: SampledResponse;
  b: SampledResponse;
}

export interface RouteResults {
  route: string;
  compared: number;
  matched: number;
  differed: number;
  /** matched / compared, or null before the first comparison. */
  matchRate: number | null;
  dropped: Record<string, number>;
  /** Per differing field: in how many compared requests it differed, most frequent first. */
  fields: Array<{ field: string; count: number }>;
}

/** The store's counters and samples as plain JSON (persisted across restarts by the proxy). */
export interface ResultsSnapshot {
  routes: Array<{
    route: string;
    compared: number;
    matched: number;
    dropped: Record<string, number>;
    fields: Record<string, number>;
    /** Oldest first. */
    samples: ShadowSample[];
  }>;
}

interface RouteState {
  compared: number;
  matched: number;
  dropped: Map<string, number>;
  fields: Map<string, number>;
  samples: Array<{ seq: number; sample: ShadowSample }>;
  next: number;
}

export const OTHER_ROUTES = '(other routes)';
export const OTHER_FIELDS = '(other fields)';

/** Shadow results in bounded memory: counters per route and field, and a ring of recent differing samples per route. */
export function createResultsStore(options: ResultsStoreOptions = {}) {
  const maxRoutes = options.maxRoutes ?? 100;
  const maxFields = options.maxFieldsPerRoute ?? 100;
  const samplesPerRoute = options.samplesPerRoute ?? 10;
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024;
  const maxDifferences = options.maxDifferencesPerSample ?? 20;
  const routes = new Map<string, RouteState>();
  let sequence = 0;

  function stateOf(route: string): RouteState {
    // Past the cap, new routes share one bucket so a flood of names cannot grow memory.
    const key = routes.has(route) || routes.size < maxRoutes ? route : OTHER_ROUTES;
    let state = routes.get(key);
    if (!state) {
      state = {
        compared: 0,
        matched: 0,
        dropped: new Map(),
        fields: new Map(),
        samples: [],
        next: 0,
      };
      routes.set(key, state);
    }
    return state;
  }

  function countField(state: RouteState, field: string): void {
    const key = state.fields.has(field) || state.fields.size < maxFields ? field : OTHER_FIELDS;
    state.fields.set(key, (state.fields.get(key) ?? 0) + 1);
  }

  function keepSample(state: RouteState, sample: ShadowSample): void {
    const entry = { seq: sequence++, sample };
    if (state.samples.length < samplesPerRoute) state.samples.push(entry);
    else state.samples[state.next] = entry;
    state.next = (state.next + 1) % samplesPerRoute;
  }

  function summarise(route: string, state: RouteState): RouteResults {
    const fields = [...state.fields]
      .map(([field, count]) => ({ field, count }))
      .sort((x, y) => y.count - x.count || x.field.localeCompare(y.field));
    return {
      route,
      compared: state.compared,
      matched: state.matched,
      differed: state.compared - state.matched,
      matchRate: state.compared === 0 ? null : state.matched / state.compared,
      dropped: Object.fromEntries(state.dropped),
      fields,
    };
  }

  return {
    record(exchange: ComparedExchange): void {
      const state = stateOf(exchange.route);
      state.compared += 1;
      if (exchange.comparison.match) {
        state.matched += 1;
        return;
      }
      for (const field of new Set(exchange.comparison.differences.map((d) => d.field)))
        countField(state, field);
      keepSample(state, {
        route: exchange.route,
        method: exchange.method,
        path: exchange.path,
        correlationId: exchange.correlationId,
        timestamp: (exchange.at ?? new Date()).toISOString(),
        differences: shortenDifferences(exchange.comparison.differences, maxDifferences, 512),
        a: sampleResponse(exchange.a, maxBodyBytes),
        b: sampleResponse(exchange.b, maxBodyBytes),
      });
    },
    countDropped(route: string, reason: string): void {
      const state = stateOf(route);
      state.dropped.set(reason, (state.dropped.get(reason) ?? 0) + 1);
    },
    summary(): RouteResults[] {
      return [...routes].map(([route, state]) => summarise(route, state));
    },
    route(route: string): RouteResults | undefined {
      const state = routes.get(route);
      return state && summarise(route, state);
    },
    /** Newest first; all routes when none is named. */
    samples(route?: string, limit = 50): ShadowSample[] {
      const states =
        route === undefined
          ? [...routes.values()]
          : [routes.get(route)].filter((s): s is RouteState => s !== undefined);
      const all = states.flatMap((s) => s.samples);
      return all
        .sort((x, y) => y.seq - x.seq)
        .slice(0, limit)
        .map((entry) => entry.sample);
    },
    reset(): void {
      routes.clear();
    },
    snapshot(): ResultsSnapshot {
      return {
        routes: [...routes].map(([route, state]) => ({
          route,
          compared: state.compared,
          matched: state.matched,
          dropped: Object.fromEntries(state.dropped),
          fields: Object.fromEntries(state.fields),
          samples: [...state.samples].sort((x, y) => x.seq - y.seq).map((entry) => entry.sample),
        })),
      };
    },
    /** Replaces the counters and samples with a snapshot's (at start, before any traffic). */
    restore(snapshot: ResultsSnapshot): void {
      routes.clear();
      for (const saved of snapshot.routes) {
        const state = stateOf(saved.route);
        state.compared += saved.compared;
        state.matched += saved.matched;
        for (const [reason, count] of Object.entries(saved.dropped))
          state.dropped.set(reason, (state.dropped.get(reason) ?? 0) + count);
        for (const [field, count] of Object.entries(saved.fields))
          state.fields.set(field, (state.fields.get(field) ?? 0) + count);
        for (const sample of saved.samples) keepSample(state, sample);
      }
    },
  };
}

export type ResultsStore = ReturnType<typeof createResultsStore>;
