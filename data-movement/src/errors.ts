import { EXIT } from '../../common/src/cli';

export type DataMovementCode = 'ERR_DATA_BACKFILL_INCOMPLETE' | 'ERR_DATA_TARGET_SCHEMA';

/** A data-movement problem the user fixes by running something first; exit 2 like other usage errors. */
export class DataMovementError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(
    readonly code: DataMovementCode,
    message: string,
  ) {
    super(message);
    this.name = 'DataMovementError';
  }
}
