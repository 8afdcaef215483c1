import type { CompiledRules } from '../compare-rules';
import { compareResponses, type ResponseSnapshot } from '../compare-responses';
import type { Difference } from '../difference';
import { createNoiseLearner } from '../noise-learner';
import type { ShadowRequest } from '../shadow-dispatcher';
import { sampleResponse, type SampledResponse } from '../sample-body';
import { type NumberedRequest, toShadowRequest } from './request-log';

export type Send = (request: ShadowRequest, signal?: AbortSignal) => Promise<ResponseSnapshot>;

export interface ReplayOptions {
  requests: NumberedRequest[];
  sendA: Send;
  sendB: Send;
  rules: CompiledRules;
  concurrency: number;
  timeoutMs: number;
  /** Ask A twice per request and ignore the fields where A disagrees with itself. */
  learnNoise?: boolean;
  /** Replay POST, PUT, PATCH and DELETE too (both targets must be sandboxes); skipped otherwise. */
  includeWrites?: boolean;
  exampleBytes?: number;
  onProgress?: (done: number) => void;
}

export interface ReplayResult {
  request: NumberedRequest;
  /** The label noise is learned under: the logged route, else method and path without the query. */
  group: string;
  outcome: 'match' | 'differ' | 'error' | 'skipped';
  differences: Difference[];
  truncated: boolean;
  error?: string;
  /** Both answers, bodies cut to `exampleBytes`, kept only when they differ. */
  a?: SampledResponse;
  b?: SampledResponse;
}

export interface Replay {
  results: ReplayResult[];
  learnedNoise: Record<string, string[]>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Answers are kept for this many mismatches (the earliest in the log), so a long log cannot fill memory. */
export const MAX_EXAMPLES_WITH_BODIES = 200;

/** Sends every logged request to A and B (bounded concurrency) and compares the answers. */
export async function replayRequests(options: ReplayOptions): Promise<Replay> {
  const learner = createNoiseLearner({ samples: 1000, threshold: 1 });
  const keeper = createExampleKeeper(MAX_EXAMPLES_WITH_BODIES);
  const results: ReplayResult[] = new Array(options.requests.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < options.requests.length) {
      const index = next++;
      results[index] = keeper.offer(await replayOne(options.requests[index], options, learner));
      options.onProgress?.(++done);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, options.requests.length) }, worker),
  );
  if (!options.learnNoise) return { results, learnedNoise: {} };
  // Noise is applied after every request has been seen, so the outcome does not depend on timing.
  const groups = [...new Set(results.map((r) => r.group))];
  const learnedNoise = Object.fromEntries(
    groups
      .map((group) => [group, [...learner.noiseOf(group)].sort()])
      .filter(([, fields]) => fields.length > 0),
  );
  return {
    results: results.map((result) =>
      withoutNoise(result, new Set(learnedNoise[result.group] ?? [])),
    ),
    learnedNoise,
  };
}

async function replayOne(
  logged: NumberedRequest,
  options: ReplayOptions,
  learner: ReturnType<typeof createNoiseLearner>,
): Promise<ReplayResult> {
  const group = logged.route ?? `${logged.method} ${logged.path.split('?')[0]}`;
  const base = { request: logged, group, differences: [], truncated: false };
  const safe = SAFE_METHODS.has(logged.method);
  // SECURITY: replaying a write performs it again on both targets; only on request, for sandboxes.
  if (!safe && !options.includeWrites) return { ...base, outcome: 'skipped' };
  const request = toShadowRequest(logged);
  const call = (side: 'a' | 'b', send: Send) =>
    send(request, AbortSignal.timeout(options.timeoutMs)).catch(
      (error: Error & { code?: unknown }) => {
        throw new Error(
          `${side}: ${typeof error.code === 'string' ? `${error.code} ` : ''}${error.message}`,
        );
      },
    );
  const repeat = options.learnNoise && safe ? call('a', options.sendA) : undefined;
  const [a, b, again] = await Promise.allSettled([
    call('a', options.sendA),
    call('b', options.sendB),
    repeat,
  ]);
  const failed = [a, b, again].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed || a.status !== 'fulfilled' || b.status !== 'fulfilled') {
    return { ...base, outcome: 'error', error: (failed?.reason as Error)?.message };
  }
  try {
    if (again.status === 'fulfilled' && again.value)
      learner.learn(group, a.value, again.value, options.rules);
    const comparison = compareResponses(a.value, b.value, options.rules);
    const result: ReplayResult = {
      ...base,
      outcome: comparison.match ? 'match' : 'differ',
      differences: comparison.differences,
      truncated: comparison.truncated,
    };
    if (comparison.match) return result;
    const cap = options.exampleBytes ?? 4096;
    return { ...result, a: sampleResponse(a.value, cap), b: sampleResponse(b.value, cap) };
  } catch (error) {
    return { ...base, outcome: 'error', error: `comparison failed: ${(error as Error).message}` };
  }
}

/** Keeps answers only for the `cap` mismatches earliest in the log, whatever order they complete in. */
function createExampleKeeper(cap: number) {
  const holders = new Set<ReplayResult>();
  return {
    offer(result: ReplayResult): ReplayResult {
      if (result.a === undefined && result.b === undefined) return result;
      if (holders.size >= cap) {
        const latest = [...holders].reduce((x, y) => (y.request.line > x.request.line ? y : x));
        if (latest.request.line < result.request.line)
          return { ...result, a: undefined, b: undefined };
        holders.delete(latest);
        latest.a = undefined;
        latest.b = undefined;
      }
      holders.add(result);
      return result;
    },
  };
}

/** Drops differences whose field, or a field above it, was learned as noise. */
export function withoutNoise(result: ReplayResult, noise: ReadonlySet<string>): ReplayResult {
  if (result.outcome !== 'differ' || noise.size === 0) return result;
  const differences = result.differences.filter((d) => !isUnderNoise(d.field, noise));
  if (differences.length > 0) return { ...result, differences };
  return { ...result, outcome: 'match', differences, a: undefined, b: undefined };
}

function isUnderNoise(field: string, noise: ReadonlySet<string>): boolean {
  for (const entry of noise) {
    if (field === entry) return true;
    if (field.startsWith(entry) && (field[entry.length] === '.' || field[entry.length] === '['))
      return true;
  }
  return false;
}
