// `strangler parity` and the request log it replays; the proxy uses the recorder to write one.
export { registerParityCommands } from './cli';
export { runParity } from './run-parity';
export type { ParityOptions, ParityIo } from './run-parity';
export type { ParityReport, ParityExample } from './parity-report';
export {
  readRequestLog,
  parseRequestLog,
  toShadowRequest,
  loggedRequestSchema,
} from './request-log';
export type { LoggedRequest, NumberedRequest } from './request-log';
export { createRequestRecorder, toLogLine } from './request-recorder';
export type { RecordableRequest } from './request-recorder';
