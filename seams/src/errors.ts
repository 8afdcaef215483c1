import { EXIT } from '../../common/src/cli';

export type SeamsErrorCode =
  | 'ERR_SEAMS_OPTIONS'
  | 'ERR_SEAMS_ROOT_NOT_FOUND'
  | 'ERR_SEAMS_CONFIG'
  | 'ERR_SEAMS_TSCONFIG'
  | 'ERR_SEAMS_DATABASE'
  | 'ERR_SEAMS_BASELINE';

/** Every failure of `strangler seams` is a usage or configuration problem: exit 2, with how to fix it. */
export class SeamsError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(
    readonly code: SeamsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SeamsError';
  }
}
