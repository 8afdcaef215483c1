import type { CompiledRules, LearnNoiseSpec } from './compare-rules';
import { compareResponses, type ResponseSnapshot } from './compare-responses';

export interface NoiseLearnerOptions {
  /** Window: the last M primary-vs-primary samples per route. */
  samples: number;
  /** A field is noise once it differed in at least N of those samples. */
  threshold: number;
  /** Bounds memory: routes beyond this are not learned; fields per sample beyond this are not kept. */
  maxRoutes?: number;
  maxFieldsPerSample?: number;
}

export interface LearnedField {
  field: string;
  differed: number;
  noise: boolean;
}

interface RouteWindow {
  ring: Array<Set<string>>;
  next: number;
  counts: Map<string, number>;
  noise: Set<string>;
}

/**
 * Diffy's noise learning without a third deployment: the primary answers the same
 * request twice, and the fields that differ between its own two answers
 * (timestamps, request IDs) are ignored when comparing it with the candidate.
 */
export function createNoiseLearner(options: NoiseLearnerOptions) {
  const maxRoutes = options.maxRoutes ?? 500;
  const maxFields = options.maxFieldsPerSample ?? 100;
  const routes = new Map<string, RouteWindow>();

  function windowOf(route: string): RouteWindow | undefined {
    let window = routes.get(route);
    if (!window && routes.size < maxRoutes) {
      window = { ring: [], next: 0, counts: new Map(), noise: new Set() };
      routes.set(route, window);
    }
    return window;
  }

  function adjust(window: RouteWindow, field: string, delta: number): void {
    const count = (window.counts.get(field) ?? 0) + delta;
    if (count <= 0) window.counts.delete(field);
    else window.counts.set(field, count);
    if (count >= options.threshold) window.noise.add(field);
    else window.noise.delete(field);
  }

  /** Records which fields differed in one primary-vs-primary sample. */
  function observe(route: string, fields: Iterable<string>): void {
    const window = windowOf(route);
    if (!window) return;
    const sample = new Set([...new Set(fields)].slice(0, maxFields));
    const evicted = window.ring.length === options.samples ? window.ring[window.next] : undefined;
    window.ring[window.next] = sample;
    window.next = (window.next + 1) % options.samples;
    for (const field of evicted ?? []) adjust(window, field, -1);
    for (const field of sample) adjust(window, field, +1);
  }

  return {
    observe,
    /** Compares two answers of the same upstream under the route's rules and learns from them. */
    learn(
      route: string,
      first: ResponseSnapshot,
      second: ResponseSnapshot,
      rules?: CompiledRules,
    ): void {
      observe(
        route,
        compareResponses(first, second, rules).differences.map((d) => d.field),
      );
    },
    /** The learned noise of a route, to pass as `compareResponses(..., { noise })`. */
    noiseOf(route: string): ReadonlySet<string> {
      return routes.get(route)?.noise ?? new Set();
    },
    describe(route: string): { samples: number; fields: LearnedField[] } {
      const window = routes.get(route);
      if (!window) return { samples: 0, fields: [] };
      const fields = [...window.counts].map(([field, differed]) => ({
        field,
        differed,
        noise: window.noise.has(field),
      }));
      return {
        samples: window.ring.length,
        fields: fields.sort((x, y) => y.differed - x.differed || x.field.localeCompare(y.field)),
      };
    },
  };
}

export type NoiseLearner = ReturnType<typeof createNoiseLearner>;

/** The learner a route's `learnNoise` setting asks for; none when it is off. */
export function noiseLearnerFor(learnNoise: LearnNoiseSpec | false) {
  return learnNoise === false
    ? undefined
    : createNoiseLearner({ samples: learnNoise.samples, threshold: learnNoise.threshold });
}
