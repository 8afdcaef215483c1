/**
 * `npm run test:exercises [-- 01 03]`: proves every exercise can be done. For
 * each, in a scratch copy of the working tree at the exercise's starting point:
 * its check must FAIL (naming the failing criterion), its solution.patch must
 * apply, its check must then PASS, and the before suite must still be green.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { type Exercise, loadExercises } from './exercise-catalog';
import { scratchAtStart } from './scratch-copy';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join('scripts', 'strangler.js');

interface Step {
  name: string;
  ok: boolean;
  ms: number;
  note: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const say = (line: string) => process.stdout.write(`${line}\n`);

function run(dir: string, command: string, args: string[]) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      STRANGLER_EXERCISES_PROGRESS: path.join(dir, 'data', 'exercises-progress.json'),
      FORCE_COLOR: '0',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}`,
    ms: Date.now() - started,
  };
}

const failedCriteria = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('  ✗ '))
    .map((line) => line.slice(4).replace(/ \(\d+\.\d s\)$/, ''));

function tail(output: string, lines = 25) {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

function walkExercise(exercises: readonly Exercise[], exercise: Exercise): Step[] {
  const steps: Step[] = [];
  const step = (name: string, ok: boolean, ms: number, note: string) => {
    steps.push({ name, ok, ms, note });
    say(`   ${ok ? '✓' : '✗'} ${name} (${seconds(ms)})${note ? `: ${note}` : ''}`);
    return ok;
  };
  let started = Date.now();
  let scratch: ReturnType<typeof scratchAtStart>;
  try {
    scratch = scratchAtStart(REPO_ROOT, exercises, exercise);
  } catch (error) {
    step('starting point (needs applied)', false, Date.now() - started, (error as Error).message);
    return steps;
  }
  try {
    step(
      `starting point${exercise.needs.length ? ` (solutions of ${exercise.needs.join(', ')} applied)` : ''}`,
      true,
      Date.now() - started,
      '',
    );
    const before = run(scratch.dir, process.execPath, [CLI, 'exercise', 'check', exercise.label]);
    const failing = failedCriteria(before.output);
    if (
      !step(
        'check fails at the start',
        before.status === 1 && failing.length > 0,
        before.ms,
        before.status === 1 && failing.length > 0
          ? `✗ ${failing[0]}`
          : `expected exit 1 naming a criterion, got exit ${before.status}\n${tail(before.output)}`,
      )
    )
      return steps;
    started = Date.now();
    try {
      scratch.applySolution(exercise);
      step('solution.patch applies', true, Date.now() - started, '');
    } catch (error) {
      step('solution.patch applies', false, Date.now() - started, (error as Error).message);
      return steps;
    }
    const after = run(scratch.dir, process.execPath, [CLI, 'exercise', 'check', exercise.label]);
    if (
      !step(
        'check passes with the solution',
        after.status === 0,
        after.ms,
        after.status === 0 ? '' : `exit ${after.status}\n${tail(after.output)}`,
      )
    )
      return steps;
    const suite = run(scratch.dir, process.execPath, [
      path.join('node_modules', 'jest', 'bin', 'jest.js'),
      '--selectProjects',
      'before',
      '--silent',
    ]);
    const summary = /^tests: .*$/m.exec(suite.output)?.[0] ?? '';
    step(
      'before suite still green',
      suite.status === 0,
      suite.ms,
      suite.status === 0 ? summary : `exit ${suite.status}\n${tail(suite.output, 40)}`,
    );
    return steps;
  } finally {
    scratch.remove();
  }
}

function main(): number {
  const exercises = loadExercises(REPO_ROOT);
  const wanted = process.argv.slice(2).map(Number);
  const bad = process.argv.slice(2).filter((arg) => !/^\d{1,2}$/.test(arg));
  if (bad.length > 0) {
    process.stderr.write(
      `error: "${bad[0]}" is not an exercise number (e.g. npm run test:exercises -- 01 03)\n`,
    );
    return 2;
  }
  const chosen = wanted.length ? exercises.filter((e) => wanted.includes(e.id)) : exercises;
  const total = Date.now();
  const summary: Array<{ exercise: Exercise; ok: boolean; ms: number }> = [];
  for (const [index, exercise] of chosen.entries()) {
    say(`\n[${index + 1}/${chosen.length}] exercise ${exercise.label} · ${exercise.title}`);
    const started = Date.now();
    const steps = walkExercise(exercises, exercise);
    const ok = steps.length > 0 && steps.every((s) => s.ok) && steps.length === 5;
    summary.push({ exercise, ok, ms: Date.now() - started });
  }
  say('\nexercise walk:');
  for (const { exercise, ok, ms } of summary)
    say(`  ${ok ? '✓' : '✗'} ${exercise.label} ${seconds(ms).padStart(7)}  ${exercise.title}`);
  const failed = summary.filter((s) => !s.ok).length;
  say(
    `exercises: ${summary.length - failed} passed, ${failed} failed in ${seconds(Date.now() - total)}`,
  );
  return failed ? 1 : 0;
}

process.exitCode = main();
