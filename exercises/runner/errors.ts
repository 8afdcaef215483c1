import { EXIT } from '../../common/src/cli';

export type ExerciseErrorCode =
  | 'ERR_EXERCISE_USAGE'
  | 'ERR_EXERCISE_UNKNOWN'
  | 'ERR_EXERCISE_DEFINITION'
  | 'ERR_EXERCISE_DIRTY_TREE'
  | 'ERR_EXERCISE_PATCH'
  | 'ERR_EXERCISE_NOT_STARTED';

/** A problem the learner can fix by changing what they typed or the state of their tree: exit 2. */
export class ExerciseError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(
    readonly code: ExerciseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExerciseError';
  }
}
