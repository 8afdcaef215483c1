// The parallel-run feature's one public face (shadow traffic, comparison, strangler parity):
// everything outside this folder imports from here.
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
export { createNoiseLearner, noiseLearnerFor } from './noise-learner';
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
// The proxy's side of a parallel run: mirror, tap, compare (create-proxy.ts wires it).
export { createShadowPlugin } from './shadow-plugin';
// Offline parallel runs: `strangler parity` replays a recorded request log against two upstreams.
export {
  registerParityCommands,
  runParity,
  readRequestLog,
  parseRequestLog,
  toShadowRequest,
  loggedRequestSchema,
  createRequestRecorder,
  toLogLine,
} from './parity';
export type {
  ParityOptions,
  ParityIo,
  ParityReport,
  ParityExample,
  LoggedRequest,
  NumberedRequest,
  RecordableRequest,
} from './parity';
