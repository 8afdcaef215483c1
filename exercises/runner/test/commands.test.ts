import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkExercise,
  type Io,
  listExercises,
  nextHint,
  resetExercise,
  solveExercise,
  startExercise,
} from '../commands';

const REPO = path.resolve(__dirname, '..', '..', '..');

function git(root: string, ...args: string[]) {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

// A check written like the real ones, without importing anything: passes when answer.txt says 42.
const CHECK = `
import fs from 'node:fs';
import path from 'node:path';
export default {
  criteria: [
    {
      title: 'answer.txt holds the answer',
      async verify(ctx: { root: string }) {
        const file = path.join(ctx.root, 'answer.txt');
        const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '(missing)';
        return text === '42'
          ? { status: 'pass' }
          : { status: 'fail', detail: 'answer.txt says ' + text, next: 'write 42 into answer.txt' };
      },
    },
  ],
};
`;

/** A tiny clone with two exercises: 02 builds on 01; each solution writes a file. */
function fixtureRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exercise-runner-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('.gitignore', 'data/\n');
  write('answer.txt', 'unknown\n');
  write('notes.txt', 'start\n');
  write('exercises/01-first/exercise.yaml', 'id: 1\ntitle: "First"\nminutes: 5\nneeds: []\n');
  write('exercises/01-first/hints.md', '## Hint 1\n\nLook.\n\n## Hint 2\n\nIt is 42.\n');
  write('exercises/01-first/check.ts', CHECK);
  write('exercises/02-second/exercise.yaml', 'id: 2\ntitle: "Second"\nminutes: 5\nneeds: [1]\n');
  write('exercises/02-second/hints.md', '## Hint 1\n\nNotes.\n');
  write('exercises/02-second/check.ts', CHECK);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'start');
  // Each solution.patch is a real diff against the start.
  fs.writeFileSync(path.join(root, 'answer.txt'), '42\n');
  write('exercises/01-first/solution.patch', git(root, 'diff'));
  git(root, 'checkout', '--', 'answer.txt');
  fs.writeFileSync(path.join(root, 'notes.txt'), 'start\nsecond\n');
  write('exercises/02-second/solution.patch', git(root, 'diff'));
  git(root, 'checkout', '--', 'notes.txt');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'solutions');
  return root;
}

function capture(answer = false): Io & { text(): string } {
  const lines: string[] = [];
  return {
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
    async confirm(question) {
      lines.push(question);
      return answer;
    },
    text: () => lines.join('\n'),
  };
}

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');

describe('exercise commands', () => {
  let root: string;
  beforeEach(() => {
    root = fixtureRepo();
    process.env.STRANGLER_EXERCISES_PROGRESS = path.join(root, 'data', 'progress.json');
  });
  afterEach(() => {
    delete process.env.STRANGLER_EXERCISES_PROGRESS;
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('start of a later exercise applies the skipped earlier solution it needs, and becomes current', () => {
    const io = capture();
    expect(startExercise(root, 2, {}, io)).toBe(0);
    expect(read(root, 'answer.txt')).toBe('42\n');
    expect(read(root, 'notes.txt')).toBe('start\n');
    expect(io.text()).toMatch(/Exercise 01 is not done in this tree/);
    const list = capture();
    listExercises(root, list);
    expect(list.text()).toMatch(/▶ 02 {2}Second .* current/);
    expect(list.text()).toMatch(/· 01 {2}First .* not started/);
  });

  test('start refuses over uncommitted changes and says how to keep them; --force goes ahead', () => {
    fs.writeFileSync(path.join(root, 'notes.txt'), 'my work\n');
    expect(() => startExercise(root, 2, {}, capture())).toThrow(
      /uncommitted changes \(notes.txt\)[\s\S]*git stash push -u/,
    );
    expect(read(root, 'answer.txt')).toBe('unknown\n');
    expect(startExercise(root, 2, { force: true }, capture())).toBe(0);
    expect(read(root, 'answer.txt')).toBe('42\n');
    expect(read(root, 'notes.txt')).toBe('my work\n');
  });

  test('start does not apply a needed solution that is already in the tree, so a clean tree is not required', () => {
    fs.writeFileSync(path.join(root, 'answer.txt'), '42\n');
    fs.writeFileSync(path.join(root, 'scratch.txt'), 'mine\n');
    expect(startExercise(root, 2, {}, capture())).toBe(0);
  });

  test("start keeps the learner's own answer to an earlier exercise whose check passed", async () => {
    fs.writeFileSync(path.join(root, 'answer.txt'), '42 \n');
    expect(await checkExercise(root, 1, capture())).toBe(0);
    git(root, 'commit', '-qam', 'my answer');
    const io = capture();
    expect(startExercise(root, 2, {}, io)).toBe(0);
    expect(io.text()).not.toMatch(/applying its reference solution/);
    expect(read(root, 'answer.txt')).toBe('42 \n');
  });

  test('an unknown exercise is a usage error naming the known ones', () => {
    expect(() => startExercise(root, 9, {}, capture())).toThrow(/no exercise 9; known: 01, 02/);
  });

  test('check prints ✗ with what to look at next and exits 1; after the fix ✓, exit 0 and done in the list', async () => {
    startExercise(root, 1, {}, capture());
    const failing = capture();
    expect(await checkExercise(root, undefined, failing)).toBe(1);
    expect(failing.text()).toMatch(
      /✗ answer.txt holds the answer[\s\S]*answer.txt says unknown[\s\S]*next: write 42/,
    );
    fs.writeFileSync(path.join(root, 'answer.txt'), '42\n');
    const passing = capture();
    expect(await checkExercise(root, undefined, passing)).toBe(0);
    expect(passing.text()).toMatch(/✓ answer.txt holds the answer/);
    const list = capture();
    listExercises(root, list);
    expect(list.text()).toMatch(/✓ 01 {2}First .* done/);
  });

  test('check without a started exercise says how to start one', async () => {
    await expect(checkExercise(root, undefined, capture())).rejects.toThrow(/exercise start 1/);
  });

  test('hint gives the graded hints in turn, then says the last one was the last', () => {
    startExercise(root, 1, {}, capture());
    const first = capture();
    nextHint(root, undefined, first);
    expect(first.text()).toMatch(/Hint 1 of 2[\s\S]*Look\./);
    const second = capture();
    nextHint(root, undefined, second);
    expect(second.text()).toMatch(/Hint 2 of 2[\s\S]*It is 42\.[\s\S]*last hint/);
  });

  test('solve asks first and changes nothing on no; with --yes it applies the reference solution', async () => {
    startExercise(root, 1, {}, capture());
    const declined = capture(false);
    await solveExercise(root, undefined, {}, declined);
    expect(declined.text()).toMatch(/Apply the reference solution of exercise 01/);
    expect(read(root, 'answer.txt')).toBe('unknown\n');
    await solveExercise(root, undefined, { yes: true }, capture());
    expect(read(root, 'answer.txt')).toBe('42\n');
    expect(await checkExercise(root, 1, capture())).toBe(0);
  });

  test('reset puts the changes in a stash (nothing lost) and forgets hints', async () => {
    startExercise(root, 1, {}, capture());
    nextHint(root, 1, capture());
    fs.writeFileSync(path.join(root, 'answer.txt'), 'half done\n');
    const io = capture();
    await resetExercise(root, 1, { yes: true }, io);
    expect(read(root, 'answer.txt')).toBe('unknown\n');
    expect(git(root, 'stash', 'list')).toMatch(/exercise 01 reset/);
    git(root, 'stash', 'pop', '-q');
    expect(read(root, 'answer.txt')).toBe('half done\n');
    const hint = capture();
    nextHint(root, 1, hint);
    expect(hint.text()).toMatch(/Hint 1 of 2/);
  });
});

describe('strangler exercise (the CLI)', () => {
  test('bad usage exits 2 with a message, no stack trace', () => {
    const run = spawnSync(process.execPath, ['scripts/strangler.js', 'exercise', 'start', 'one'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/"one" is not an exercise number; give one like 1/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
