import path from 'node:path';
import readline from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { runAction } from '../../common/src/cli';
import {
  checkExercise,
  type Io,
  listExercises,
  nextHint,
  resetExercise,
  solveExercise,
  startExercise,
} from './commands';
import { ExerciseError } from './errors';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

const terminalIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  async confirm(question) {
    if (!process.stdin.isTTY) {
      process.stderr.write(`${question}\nno terminal to answer on: pass --yes to go ahead\n`);
      return false;
    }
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  },
};

function exerciseNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,2}$/.test(value))
    throw new ExerciseError(
      'ERR_EXERCISE_USAGE',
      `"${value}" is not an exercise number; give one like 1 or 01 (npx strangler exercises lists them)`,
    );
  return Number(value);
}

const rootOption = () =>
  new Option('--root <dir>', 'the clone of the kit to work in').default(REPO_ROOT, 'this clone');
const resolveRoot = (root: string) => path.resolve(root);

/** `strangler exercises` and `strangler exercise start|check|hint|solve|reset`. */
export function registerExerciseCommands(program: Command): void {
  // `npx strangler exercises | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  program
    .command('exercises')
    .description('list the guided extraction exercises: done, current, not started')
    .addOption(rootOption())
    .action(
      runAction(async (opts: { root: string }) =>
        listExercises(resolveRoot(opts.root), terminalIo),
      ),
    );

  const exercise = program
    .command('exercise')
    .description('guided extraction exercises: start, check, hint, solve, reset');

  exercise
    .command('start')
    .description(
      'make <n> the current exercise; applies the reference solutions of earlier ones it builds on that you skipped',
    )
    .argument('<n>', 'exercise number, e.g. 1')
    .option('--force', 'apply over uncommitted changes')
    .addOption(rootOption())
    .action(
      runAction(async (n: string, opts: { force?: boolean; root: string }) =>
        startExercise(resolveRoot(opts.root), exerciseNumber(n) as number, opts, terminalIo),
      ),
    );

  exercise
    .command('check')
    .description(
      'check an exercise (default: the current one); exit 0 pass, 1 not yet, 3 environment',
    )
    .argument('[n]', 'exercise number')
    .addOption(rootOption())
    .action(
      runAction(async (n: string | undefined, opts: { root: string }) =>
        checkExercise(resolveRoot(opts.root), exerciseNumber(n), terminalIo),
      ),
    );

  exercise
    .command('hint')
    .description('the next hint for an exercise (default: the current one)')
    .argument('[n]', 'exercise number')
    .addOption(rootOption())
    .action(
      runAction(async (n: string | undefined, opts: { root: string }) =>
        nextHint(resolveRoot(opts.root), exerciseNumber(n), terminalIo),
      ),
    );

  exercise
    .command('solve')
    .description('apply the reference solution (asks first)')
    .argument('[n]', 'exercise number')
    .option('-y, --yes', 'do not ask')
    .addOption(rootOption())
    .action(
      runAction(async (n: string | undefined, opts: { yes?: boolean; root: string }) =>
        solveExercise(resolveRoot(opts.root), exerciseNumber(n), opts, terminalIo),
      ),
    );

  exercise
    .command('reset')
    .description('put your uncommitted changes aside (git stash) and forget hints and result')
    .argument('[n]', 'exercise number')
    .option('-y, --yes', 'do not ask')
    .addOption(rootOption())
    .action(
      runAction(async (n: string | undefined, opts: { yes?: boolean; root: string }) =>
        resetExercise(resolveRoot(opts.root), exerciseNumber(n), opts, terminalIo),
      ),
    );
}
