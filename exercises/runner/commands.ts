import fs from 'node:fs';
import path from 'node:path';
import type { Check } from './check-kit';
import { ExerciseError } from './errors';
import {
  type Exercise,
  findExercise,
  loadExercises,
  loadHints,
  prerequisitesOf,
} from './exercise-catalog';
import { ProgressStore, statusOf } from './progress-store';
import { formatResult, formatSummary } from './report';
import { runCheck } from './run-check';
import { applyPatch, isApplied, requireCleanTree, stashChanges } from './working-tree';

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Asks a yes/no question; false when nobody can answer (not a terminal). */
  confirm(question: string): Promise<boolean>;
}

const relative = (root: string, file: string) => path.relative(root, file) || '.';

/** `strangler exercises`: every exercise with done / current / not started. */
export function listExercises(root: string, io: Io): number {
  const exercises = loadExercises(root);
  const progress = ProgressStore.forRoot(root).read();
  io.out('Exercises (npx strangler exercise start <n> to begin one):');
  for (const e of exercises) {
    const status = statusOf(progress, e.id);
    const mark = status === 'done' ? '✓' : status === 'current' ? '▶' : '·';
    const current = progress.current === e.id && status === 'done' ? '  ← current' : '';
    io.out(
      `  ${mark} ${e.label}  ${e.title}  (${e.minutes} min)  ${status}${e.needs.length ? `  builds on ${e.needs.join(', ')}` : ''}${current}`,
    );
  }
  return 0;
}

/** The exercise named on the command line, else the current one. */
function chosen(root: string, id: number | undefined): Exercise {
  const exercises = loadExercises(root);
  if (id !== undefined) return findExercise(exercises, id);
  const current = ProgressStore.forRoot(root).read().current;
  if (current === undefined)
    throw new ExerciseError(
      'ERR_EXERCISE_NOT_STARTED',
      'no exercise is started yet: begin with npx strangler exercise start 1 (npx strangler exercises lists them)',
    );
  return findExercise(exercises, current);
}

const patchOf = (exercise: Exercise) => path.join(exercise.folder, 'solution.patch');

/**
 * `exercise start <n>`: makes n the current exercise and brings the tree to its
 * starting point, applying the reference solution of every earlier exercise it
 * builds on that is not in the tree yet.
 */
export function startExercise(root: string, id: number, opts: { force?: boolean }, io: Io): number {
  const exercises = loadExercises(root);
  const exercise = findExercise(exercises, id);
  const store = ProgressStore.forRoot(root);
  const progress = store.read();
  // Done by the learner (their check passed) or already in the tree: their own answer stays.
  const missing = prerequisitesOf(exercises, exercise).filter(
    (e) => !progress.done[e.id] && !isApplied(root, patchOf(e)),
  );
  if (missing.length > 0) {
    requireCleanTree(root, `exercise start ${id}`, Boolean(opts.force));
    for (const e of missing) {
      io.out(`Exercise ${e.label} is not done in this tree: applying its reference solution.`);
      applyPatch(root, patchOf(e));
    }
    io.out(
      `Applied: ${missing.map((e) => e.label).join(', ')} (uncommitted; git diff shows them, git add -A && git commit keeps them).`,
    );
  }
  store.update((p) => {
    p.current = id;
  });
  io.out(`\nExercise ${exercise.label} · ${exercise.title} (about ${exercise.minutes} minutes)`);
  io.out(`Read: ${relative(root, path.join(exercise.folder, 'README.md'))}`);
  io.out(
    'Then: npx strangler exercise check  (✓/✗ per step), exercise hint when stuck, exercise solve to see an answer.',
  );
  return 0;
}

function loadCheck(exercise: Exercise): Check {
  const file = path.join(exercise.folder, 'check.ts');
  if (!fs.existsSync(file))
    throw new ExerciseError('ERR_EXERCISE_DEFINITION', `${file} is missing`);
  // necessary because the CLI runs through tsx's CommonJS hook, which compiles .ts on require only.
  const loaded = require(file) as { default?: Check };
  const check = loaded.default;
  if (!check?.criteria)
    throw new ExerciseError(
      'ERR_EXERCISE_DEFINITION',
      `${file} must export default defineCheck({ criteria: [...] })`,
    );
  return check;
}

/** `exercise check [n]`: ✓ / ✗ per criterion; exit 0 all pass, 1 something to fix, 3 environment. */
export async function checkExercise(root: string, id: number | undefined, io: Io): Promise<number> {
  const exercise = chosen(root, id);
  const check = loadCheck(exercise);
  io.out(`Checking exercise ${exercise.label} · ${exercise.title}`);
  const started = Date.now();
  const run = await runCheck(check, {
    root,
    onProgress: (message) => io.err(`    … ${message}`),
    onResult: (result) => io.out(formatResult(result)),
  });
  io.out('');
  io.out(formatSummary(run, exercise, Date.now() - started));
  if (run.exitCode === 0)
    ProgressStore.forRoot(root).update((p) => {
      p.done[exercise.id] = new Date().toISOString();
    });
  return run.exitCode;
}

/** `exercise hint [n]`: the next hint, from a nudge to nearly the answer. */
export function nextHint(root: string, id: number | undefined, io: Io): number {
  const exercise = chosen(root, id);
  const hints = loadHints(exercise);
  if (hints.length === 0) {
    io.out(`Exercise ${exercise.label} has no hints.`);
    return 0;
  }
  const store = ProgressStore.forRoot(root);
  const shown = store.read().hintsShown[exercise.id] ?? 0;
  const index = Math.min(shown, hints.length - 1);
  io.out(`Hint ${index + 1} of ${hints.length} for exercise ${exercise.label}:\n`);
  io.out(hints[index]);
  io.out(
    index + 1 < hints.length
      ? '\n(npx strangler exercise hint again for the next one)'
      : '\n(that was the last hint; npx strangler exercise solve applies the reference solution)',
  );
  store.update((p) => {
    p.hintsShown[exercise.id] = index + 1;
  });
  return 0;
}

/** True with --yes or on a yes; a no changes nothing and says how to skip the question. */
async function confirmed(question: string, opts: { yes?: boolean }, io: Io): Promise<boolean> {
  if (opts.yes || (await io.confirm(question))) return true;
  io.out('Nothing changed. (--yes skips this question.)');
  return false;
}

/** `exercise solve [n]`: applies the reference solution after confirmation. */
export async function solveExercise(
  root: string,
  id: number | undefined,
  opts: { yes?: boolean },
  io: Io,
): Promise<number> {
  const exercise = chosen(root, id);
  const patch = patchOf(exercise);
  if (isApplied(root, patch)) {
    io.out(`The reference solution of exercise ${exercise.label} is already in your tree.`);
    return 0;
  }
  const question = `Apply the reference solution of exercise ${exercise.label} over your tree? Your own changes stay; conflicts are marked. [y/N] `;
  if (!(await confirmed(question, opts, io))) return 0;
  applyPatch(root, patch);
  ProgressStore.forRoot(root).update((p) => {
    p.solved[exercise.id] = new Date().toISOString();
    p.current = exercise.id;
  });
  io.out(
    `Applied ${relative(root, patch)}: git diff shows what it changed; npx strangler exercise check confirms it.`,
  );
  return 0;
}

/** `exercise reset [n]`: puts the tree's changes aside (a git stash, nothing lost) and forgets progress. */
export async function resetExercise(
  root: string,
  id: number | undefined,
  opts: { yes?: boolean },
  io: Io,
): Promise<number> {
  const exercise = chosen(root, id);
  const question = `Reset exercise ${exercise.label}: put every uncommitted change aside in a git stash and forget its hints and result? [y/N] `;
  if (!(await confirmed(question, opts, io))) return 0;
  const stashed = stashChanges(root, `exercise ${exercise.label} reset`);
  ProgressStore.forRoot(root).update((p) => {
    delete p.done[exercise.id];
    delete p.solved[exercise.id];
    delete p.hintsShown[exercise.id];
    p.current = exercise.id;
  });
  io.out(
    stashed
      ? `Your changes are in the stash "exercise ${exercise.label} reset" (git stash pop brings them back). The tree is at the last commit; npx strangler exercise start ${exercise.id} brings back what it builds on if that was uncommitted.`
      : 'There were no uncommitted changes; hints and result are forgotten.',
  );
  return 0;
}
