import { compileRules, type ShadowSpec } from './compare-rules';
import { compareResponses, type ResponseSnapshot } from './compare-responses';
import type { NoiseLearner } from './noise-learner';
import type { ResultsStore } from './results-store';
import { createShadowDispatcher, type ShadowRequest, type ShadowSend } from './shadow-dispatcher';
import type { ShadowMetrics } from './shadow-metrics';

export interface ParallelRunOptions {
  route: string;
  /** The route's parsed `shadow:` block (shadowSpecSchema). */
  spec: ShadowSpec;
  sendCandidate: ShadowSend;
  /** Sends the request to the primary a second time; needed only when `spec.learnNoise` is set. */
  sendPrimary?: ShadowSend;
  store: ResultsStore;
  metrics?: ShadowMetrics;
  learner?: NoiseLearner;
  random?: () => number;
}

export interface MirroredRequest extends ShadowRequest {
  correlationId: string;
}

export type MirrorResult = 'match' | 'differ' | 'dropped';

/**
 * One route's parallel run: mirrors a request to the candidate, compares its answer
 * with the primary's once both are in, and records the result. The caller passes the
 * primary's answer as a promise and does not wait for `mirror`.
 *
 * @example
 * const run = createParallelRun({ route: 'catalog', spec, sendCandidate: createHttpSender(url), store });
 * void run.mirror({ method, path, headers, correlationId }, primaryAnswerPromise);
 */
export function createParallelRun(options: ParallelRunOptions) {
  const { route, spec, store, metrics, learner } = options;
  const rules = compileRules(spec.compare, `route "${route}" shadow.compare`);
  const candidate = createShadowDispatcher({
    maxConcurrent: spec.maxConcurrent,
    timeoutMs: spec.timeoutMs,
    send: options.sendCandidate,
    sandbox: spec.sandbox,
  });
  // The repeat goes to the primary, which is not a sandbox: only GET and HEAD are ever repeated.
  const primaryAgain =
    options.sendPrimary &&
    createShadowDispatcher({
      maxConcurrent: spec.maxConcurrent,
      timeoutMs: spec.timeoutMs,
      send: options.sendPrimary,
    });
  const random = options.random ?? Math.random;

  function drop(reason: string): MirrorResult {
    store.countDropped(route, reason);
    metrics?.countDropped(route, reason);
    return 'dropped';
  }

  async function mirror(
    request: MirroredRequest,
    primary: Promise<ResponseSnapshot | undefined>,
  ): Promise<MirrorResult> {
    const learning =
      spec.learnNoise !== false && learner && primaryAgain && random() < spec.learnNoise.share;
    const repeat = learning ? primaryAgain.dispatch(request) : undefined;
    const [answer, first, second] = await Promise.all([
      candidate.dispatch(request),
      primary.catch(() => undefined),
      repeat,
    ]);
    try {
      if (first && second?.status === 'answered')
        learner!.learn(route, first, second.response, rules);
      if (answer.status === 'dropped') return drop(answer.reason);
      if (!first) return drop('primary');
      const comparison = compareResponses(first, answer.response, rules, {
        noise: learner?.noiseOf(route),
      });
      store.record({
        route,
        method: request.method,
        path: request.path,
        correlationId: request.correlationId,
        a: first,
        b: answer.response,
        comparison,
      });
      metrics?.observeComparison(route, comparison.match);
      return comparison.match ? 'match' : 'differ';
    } catch {
      // necessary because mirror() must never reject: the caller does not wait for it.
      return drop('compare');
    }
  }

  /**
   * A write to a sandbox candidate with no primary answer to compare (a replaying data plane
   * cannot read the primary's write twice): sent to the candidate only, so its data keeps in
   * step, and counted as dropped, reason "uncompared-write".
   */
  async function sendOnly(request: MirroredRequest): Promise<MirrorResult> {
    const answer = await candidate.dispatch(request);
    return drop(answer.status === 'dropped' ? answer.reason : 'uncompared-write');
  }

  return {
    mirror,
    sendOnly,
    stats: () => ({ candidate: candidate.stats(), primaryAgain: primaryAgain?.stats() }),
    drain: () => Promise.all([candidate.drain(), primaryAgain?.drain()]).then(() => undefined),
  };
}

export type ParallelRun = ReturnType<typeof createParallelRun>;
