/**
 * `npm run exercises:refresh-patch -- NN [--edit]`: regenerates exercise NN's
 * solution.patch against its starting point as it is now (after a rebase the
 * context lines move). Without --edit the old patch is applied (three-way) and
 * diffed again; with --edit the scratch copy is left for you to change, then diffed.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { findExercise, loadExercises } from './exercise-catalog';
import { scratchAtStart } from './scratch-copy';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const edit = args.includes('--edit');
  const ids = args.filter((a) => a !== '--edit');
  if (ids.length !== 1 || !/^\d{1,2}$/.test(ids[0])) {
    process.stderr.write(
      'usage: npm run exercises:refresh-patch -- <exercise number> [--edit]   e.g. -- 03\n',
    );
    return 2;
  }
  const exercises = loadExercises(REPO_ROOT);
  let exercise: ReturnType<typeof findExercise>;
  try {
    exercise = findExercise(exercises, Number(ids[0]));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  }
  const patch = path.join(exercise.folder, 'solution.patch');
  const scratch = scratchAtStart(REPO_ROOT, exercises, exercise);
  try {
    if (fs.existsSync(patch)) {
      try {
        scratch.applySolution(exercise);
      } catch (error) {
        if (!edit) {
          process.stderr.write(`${(error as Error).message}\n`);
          return 1;
        }
        process.stdout.write(
          'the old patch did not apply cleanly; conflict markers are left for you\n',
        );
      }
    }
    if (edit) {
      process.stdout.write(
        `Exercise ${exercise.label}'s starting point is in ${scratch.dir} (node_modules linked).\n` +
          'Make the reference solution there, then press Enter to write the patch (Ctrl-C leaves it untouched). ',
      );
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
      await rl.question('');
      rl.close();
    }
    const diff = scratch.diff();
    if (!diff.trim()) {
      process.stderr.write(
        'the solution changes nothing against the starting point: patch not written\n',
      );
      return 1;
    }
    fs.writeFileSync(patch, diff);
    process.stdout.write(
      `wrote ${path.relative(REPO_ROOT, patch)} (${diff.split('\n').filter((l) => l.startsWith('diff --git')).length} files)\n`,
    );
    return 0;
  } finally {
    scratch.remove();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
