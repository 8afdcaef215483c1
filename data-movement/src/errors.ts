import { EXIT } from '../../common/src/cli';

export type DataMovementCode =
  | 'ERR_DATA_BACKFILL_INCOMPLETE'
  | 'ERR_DATA_TARGET_SCHEMA'
  | 'ERR_DATA_SPEC'
  | 'ERR_DATA_UNKNOWN_SET'
  | 'ERR_DATA_OWNER_DISAGREES'
  | 'ERR_DATA_CONFLICT'
  | 'ERR_DATA_PROXY_UNREACHABLE'
  | 'ERR_DATA_ADMIN_TOKEN'
  | 'ERR_DATA_PROXY_REFUSED'
  | 'ERR_DATA_VERIFY_FAILED'
  | 'ERR_DATA_HANDOVER';

/** Findings (a conflict, a failed verify) exit 1; everything the user fixes by changing a setting or running something first exits 2. */
const FINDINGS: ReadonlySet<DataMovementCode> = new Set([
  'ERR_DATA_CONFLICT',
  'ERR_DATA_VERIFY_FAILED',
]);

/** A data-movement problem with a stable code; the message says what to do. */
export class DataMovementError extends Error {
  readonly exitCode: number;
  constructor(
    readonly code: DataMovementCode,
    message: string,
  ) {
    super(message);
    this.name = 'DataMovementError';
    this.exitCode = FINDINGS.has(code) ? EXIT.findings : EXIT.usage;
  }
}
