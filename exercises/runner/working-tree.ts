import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ExerciseError } from './errors';

function git(root: string, args: string[]) {
  const run = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (run.error)
    throw new ExerciseError(
      'ERR_EXERCISE_USAGE',
      `git could not be run (${run.error.message}); the exercises need git on PATH`,
    );
  return { ok: run.status === 0, out: run.stdout, err: run.stderr };
}

/** Files with uncommitted changes (untracked included, ignored files not). */
export function uncommittedChanges(root: string): string[] {
  const status = git(root, ['status', '--porcelain', '--untracked-files=all']);
  if (!status.ok)
    throw new ExerciseError(
      'ERR_EXERCISE_USAGE',
      `${root} is not a git working tree (${status.err.trim()}); the exercises work on a clone of the kit`,
    );
  return status.out
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
}

/** Refuses (with how to stash) when the tree has uncommitted changes, unless forced. */
export function requireCleanTree(root: string, action: string, force: boolean): void {
  if (force) return;
  const changes = uncommittedChanges(root);
  if (changes.length === 0) return;
  const shown = changes.slice(0, 8).join(', ') + (changes.length > 8 ? ', …' : '');
  throw new ExerciseError(
    'ERR_EXERCISE_DIRTY_TREE',
    `${action} would change files, and you have uncommitted changes (${shown}). Keep them first:\n` +
      `  git add -A && git commit -m "my exercise work"     (keep them in history)\n` +
      `  git stash push -u -m "before ${action}"             (put them aside; git stash pop brings them back)\n` +
      `or run it anyway with --force.`,
  );
}

/** True when the patch is already in the tree (it applies in reverse). */
export function isApplied(root: string, patch: string): boolean {
  return git(root, ['apply', '--check', '--reverse', patch]).ok;
}

/** Applies a patch with git's three-way merge; throws naming the patch and git's complaint. */
export function applyPatch(root: string, patch: string): void {
  const run = git(root, ['apply', '--3way', '--whitespace=nowarn', patch]);
  // --3way stages what it merged; leave the learner's index as it was.
  git(root, ['reset', '--quiet']);
  if (!run.ok)
    throw new ExerciseError(
      'ERR_EXERCISE_PATCH',
      `${path.relative(root, patch)} did not apply cleanly:\n${run.err.trim()}\n` +
        'Files with conflict markers (<<<<<<<) need a look; or put your changes aside (git stash push -u) and try again.',
    );
}

/** Puts every uncommitted change aside in a named stash (nothing is lost); false when there was none. */
export function stashChanges(root: string, message: string): boolean {
  if (uncommittedChanges(root).length === 0) return false;
  // A stash is a commit: on a machine with no git identity yet, give it one rather than fail.
  const identity = git(root, ['config', 'user.email']).out.trim()
    ? []
    : ['-c', 'user.name=strangler exercises', '-c', 'user.email=exercises@localhost'];
  const run = git(root, [...identity, 'stash', 'push', '--include-untracked', '-m', message]);
  if (!run.ok) throw new ExerciseError('ERR_EXERCISE_USAGE', `git stash failed: ${run.err.trim()}`);
  return true;
}
