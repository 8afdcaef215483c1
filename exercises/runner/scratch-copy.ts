import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Exercise, prerequisitesOf } from './exercise-catalog';

export interface ScratchCopy {
  dir: string;
  git(...args: string[]): string;
  /** Applies an exercise's solution.patch with a three-way merge; throws with git's message. */
  applySolution(exercise: Exercise): void;
  /** Commits everything: the next diff starts here. */
  commit(message: string): void;
  /** Everything changed since the last commit, new files included, as a patch. */
  diff(): string;
  remove(): void;
}

const IDENTITY = ['-c', 'user.email=exercises@strangler-kit.invalid', '-c', 'user.name=exercises'];

/**
 * A copy of the working tree as it is now (tracked and untracked files, not
 * ignored ones), as a fresh git repository with one commit, and the kit's
 * node_modules linked in: exercises are walked there, never in the real tree.
 */
export function createScratchCopy(repoRoot: string, label: string): ScratchCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `exercise-walk-${label}-`));
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
  )
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = path.join(repoRoot, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet committed
    const to = path.join(dir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // The real repository's objects, readable from the scratch one: a patch made before a rebase
  // names blobs that only exist there, and `git apply --3way` needs them to merge.
  const objects = path.resolve(
    repoRoot,
    execFileSync('git', ['rev-parse', '--git-common-dir'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim(),
    'objects',
  );
  const git = (...args: string[]) =>
    execFileSync('git', [...IDENTITY, ...args], {
      cwd: dir,
      env: { ...process.env, GIT_ALTERNATE_OBJECT_DIRECTORIES: objects },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'scratch copy', '--no-verify');
  return {
    dir,
    git,
    applySolution(exercise) {
      const patch = path.join(exercise.folder, 'solution.patch');
      if (!fs.existsSync(patch)) throw new Error(`${path.relative(repoRoot, patch)} is missing`);
      try {
        git('apply', '--3way', '--whitespace=nowarn', patch);
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? String(error);
        throw new Error(
          `exercise ${exercise.label}'s solution.patch does not apply: ${stderr.trim()}\n` +
            `  regenerate it: npm run exercises:refresh-patch -- ${exercise.label} --edit`,
        );
      }
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-qm', message, '--no-verify', '--allow-empty');
    },
    diff() {
      git('add', '-A');
      return git('diff', '--cached', '--binary');
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A scratch copy at an exercise's starting point: every solution it builds on applied and committed. */
export function scratchAtStart(
  repoRoot: string,
  exercises: readonly Exercise[],
  exercise: Exercise,
): ScratchCopy {
  const scratch = createScratchCopy(repoRoot, exercise.label);
  try {
    // The exercise's own folder as the walk will read it: the scratch copy's, patched or not.
    for (const need of prerequisitesOf(exercises, exercise)) {
      scratch.applySolution(need);
      scratch.commit(`exercise ${need.label} solution`);
    }
    return scratch;
  } catch (error) {
    scratch.remove();
    throw error;
  }
}
