import type { ResultsStore, RouteResults, ShadowSample } from '../shadow';

/** The body of `GET /admin/shadow`, which the dashboard renders. */
export interface ShadowView {
  routes: RouteResults[];
  /** Newest first. */
  samples: ShadowSample[];
}

/** Builds the `GET /admin/shadow` answer from the parallel run's results store. */
export function describeShadow(store: ResultsStore | null | undefined, limit = 20): ShadowView {
  return store
    ? { routes: store.summary(), samples: store.samples(undefined, limit) }
    : { routes: [], samples: [] };
}
