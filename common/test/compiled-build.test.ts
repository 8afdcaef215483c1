import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type BuildProject,
  changedSinceBuild,
  compiledScript,
  ensureCompiled,
} from '../src/compiled-build';
import { BUILD_DIR, PROJECT_ROOT } from '../src/project-root';

describe('the compiled build that npm start runs', () => {
  let root: string;
  const project = (): BuildProject => ({
    root,
    tsconfig: 'tsconfig.build.json',
    buildDir: path.join(root, 'dist'),
  });
  const touch = (file: string, secondsAgo: number) => {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (!fs.existsSync(full)) fs.writeFileSync(full, '');
    const at = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(full, at, at);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-build-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('when nothing was built yet, then a build is needed', () => {
    touch('src/main.ts', 60);
    expect(changedSinceBuild(project())).toEqual(['(no build yet)']);
  });

  it('when no source changed since the build, then nothing is rebuilt', () => {
    touch('src/main.ts', 60);
    touch('tsconfig.json', 60);
    touch('dist/.tsbuildinfo', 10);
    expect(changedSinceBuild(project())).toEqual([]);
  });

  it('when a source or a tsconfig changed after the build, then those files are named', () => {
    touch('dist/.tsbuildinfo', 30);
    touch('src/old.ts', 60);
    touch('src/edited.ts', 5);
    touch('tsconfig.build.json', 5);
    touch('README.md', 5);
    expect(changedSinceBuild(project()).sort()).toEqual(['src/edited.ts', 'tsconfig.build.json']);
  });

  it('when files change under node_modules, dist or data, then they are not sources', () => {
    touch('dist/.tsbuildinfo', 30);
    touch('node_modules/lib/index.ts', 5);
    touch('dist/src/main.ts', 5);
    touch('data/scratch.ts', 5);
    expect(changedSinceBuild(project())).toEqual([]);
  });

  it('maps an entry point to its compiled copy under dist/', () => {
    expect(compiledScript('strangler-proxy/src/main.ts')).toBe(
      path.join(PROJECT_ROOT, 'dist', 'strangler-proxy', 'src', 'main.js'),
    );
    expect(BUILD_DIR).toBe(path.join(PROJECT_ROOT, 'dist'));
  });
});

describe('ensureCompiled on a tiny project of its own', () => {
  // Named unlike the repository's, so the messages are seen to name the project's own tsconfig.
  const TSCONFIG = 'tsconfig.dist.json';
  const dirs: string[] = [];
  let template: string | undefined;
  let firstSaid: string[] = [];

  const projectAt = (root: string): BuildProject => ({
    root,
    tsconfig: TSCONFIG,
    buildDir: path.join(root, 'dist'),
  });
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-ensure-'));
    dirs.push(dir);
    return dir;
  };
  const write = (root: string, file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  const mtimeOf = (root: string, file: string) => fs.statSync(path.join(root, file)).mtimeMs;
  const compile = (root: string, entries = ['src/main.ts']) => {
    const said: string[] = [];
    ensureCompiled((line) => said.push(line), entries, projectAt(root));
    return said;
  };
  const errorOf = (run: () => unknown): Error => {
    try {
      run();
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected ensureCompiled to throw');
  };
  /** The project, built once by its first ensureCompiled call (tsc takes a second or two). */
  const built = (): string => {
    if (template) return template;
    const root = tempDir();
    write(
      root,
      TSCONFIG,
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'commonjs',
          strict: true,
          types: [],
          lib: ['es2022'],
          skipLibCheck: true,
          outDir: 'dist',
          rootDir: '.',
          incremental: true,
          tsBuildInfoFile: 'dist/.tsbuildinfo',
        },
        include: ['src/**/*.ts'],
      }),
    );
    write(
      root,
      'src/greet.ts',
      "export const greet = (name: string): string => 'hello '.concat(name);\n",
    );
    write(
      root,
      'src/main.ts',
      "import { greet } from './greet';\nexport const message = greet('world');\n",
    );
    write(root, 'tools/outside.ts', 'export const outside = 1;\n');
    firstSaid = compile(root);
    template = root;
    return root;
  };
  /** A copy of the built project, time stamps kept, for a test to change. */
  const copyOfBuilt = (): string => {
    const root = tempDir();
    fs.cpSync(built(), root, { recursive: true, preserveTimestamps: true });
    return root;
  };

  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when nothing was built yet, then the first call runs tsc, says so and writes the entry point', () => {
    const root = built();
    expect(firstSaid).toEqual([
      'compiling TypeScript to dist/ (no build yet; npm run build)…',
      expect.stringMatching(/^compiled in \d+\.\ds$/),
    ]);
    expect(require(path.join(root, 'dist', 'src', 'main.js')).message).toBe('hello world');
  });

  it('when nothing changed since the build, then the next call builds nothing and says nothing', () => {
    const root = copyOfBuilt();
    const before = mtimeOf(root, 'dist/.tsbuildinfo');
    expect(compile(root)).toEqual([]);
    expect(mtimeOf(root, 'dist/.tsbuildinfo')).toBe(before);
  });

  it("when an entry point's compiled file is missing, then a full rebuild writes it again", () => {
    const root = copyOfBuilt();
    fs.rmSync(path.join(root, 'dist', 'src', 'main.js'));
    const greetBefore = mtimeOf(root, 'dist/src/greet.js');
    // An incremental tsc would write nothing: its state still lists main.js as written.
    expect(compile(root)[0]).toBe(
      'compiling TypeScript to dist/ (missing dist/src/main.js; npm run build)…',
    );
    expect(fs.existsSync(path.join(root, 'dist', 'src', 'main.js'))).toBe(true);
    expect(mtimeOf(root, 'dist/src/greet.js')).toBeGreaterThan(greetBefore);
  });

  it("when a source has a type error, then it throws with tsc's messages, and again on the next call", () => {
    const root = copyOfBuilt();
    write(root, 'src/greet.ts', 'export const greet = (name: string): string => name.length;\n');
    const tscError =
      "src/greet.ts(1,48): error TS2322: Type 'number' is not assignable to type 'string'.";
    const error = errorOf(() => compile(root));
    expect(error.message).toMatch(
      /^the TypeScript build \(npm run build\) failed; fix these errors and try again:\n/,
    );
    expect(error.message).toContain(tscError);
    // Not taken for a finished build: the compiled copy of the broken source must not run.
    expect(errorOf(() => compile(root)).message).toContain(tscError);
  });

  it('when an entry point is outside the tsconfig\'s "include", then it throws naming the file it did not write', () => {
    const root = copyOfBuilt();
    expect(errorOf(() => compile(root, ['tools/outside.ts'])).message).toBe(
      `the build wrote no dist/tools/outside.js: is tools/outside.ts inside ${TSCONFIG}'s "include"?`,
    );
  });
});
