// The parallel-run toolkit's public face: the proxy and `strangler parity` import from here.
export { compareResponses, headerOf } from './compare-responses';
export type { ResponseSnapshot, CompareOptions, HeaderValue } from './compare-responses';
export {
  compileRules,
  compareRulesSchema,
  shadowSpecSchema,
  learnNoiseSchema,
} from './compare-rules';
export type {
  CompareRules,
  CompareRulesInput,
  CompiledRules,
  ShadowSpec,
  LearnNoiseSpec,
  Tolerance,
} from './compare-rules';
export type { Comparison, Difference, DifferenceKind } from './difference';
export { createNoiseLearner } from './noise-learner';
export type { NoiseLearner, NoiseLearnerOptions } from './noise-learner';
export { createResultsStore, OTHER_FIELDS, OTHER_ROUTES } from './results-store';
export type {
  ResultsStore,
  ResultsSnapshot,
  RouteResults,
  ShadowSample,
  ComparedExchange,
} from './results-store';
export { createShadowMetrics } from './shadow-metrics';
export type { ShadowMetrics } from './shadow-metrics';
export { createShadowDispatcher } from './shadow-dispatcher';
export type {
  ShadowDispatcher,
  ShadowRequest,
  ShadowSend,
  ShadowOutcome,
  DropReason,
} from './shadow-dispatcher';
export { createHttpSender } from './http-sender';
export { ShadowError } from './errors';
export type { ShadowErrorCode } from './errors';
export { createParallelRun } from './parallel-run';
export type {
  ParallelRun,
  ParallelRunOptions,
  MirroredRequest,
  MirrorResult,
} from './parallel-run';
export { createBodyCapture } from './capture-body';
export { decodeContent } from './decode-content';
