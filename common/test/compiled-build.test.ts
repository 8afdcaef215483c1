import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { changedSinceBuild, compiledScript } from '../src/compiled-build';
import { BUILD_DIR, PROJECT_ROOT } from '../src/project-root';

describe('the compiled build that npm start runs', () => {
  let root: string;
  const buildInfo = () => path.join(root, 'dist', '.tsbuildinfo');
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
    expect(changedSinceBuild(root, buildInfo())).toEqual(['(no build yet)']);
  });

  it('when no source changed since the build, then nothing is rebuilt', () => {
    touch('src/main.ts', 60);
    touch('tsconfig.json', 60);
    touch('dist/.tsbuildinfo', 10);
    expect(changedSinceBuild(root, buildInfo())).toEqual([]);
  });

  it('when a source or a tsconfig changed after the build, then those files are named', () => {
    touch('dist/.tsbuildinfo', 30);
    touch('src/old.ts', 60);
    touch('src/edited.ts', 5);
    touch('tsconfig.build.json', 5);
    touch('README.md', 5);
    expect(changedSinceBuild(root, buildInfo()).sort()).toEqual([
      'src/edited.ts',
      'tsconfig.build.json',
    ]);
  });

  it('when files change under node_modules, dist or data, then they are not sources', () => {
    touch('dist/.tsbuildinfo', 30);
    touch('node_modules/lib/index.ts', 5);
    touch('dist/src/main.ts', 5);
    touch('data/scratch.ts', 5);
    expect(changedSinceBuild(root, buildInfo())).toEqual([]);
  });

  it('maps an entry point to its compiled copy under dist/', () => {
    expect(compiledScript('strangler-proxy/src/main.ts')).toBe(
      path.join(PROJECT_ROOT, 'dist', 'strangler-proxy', 'src', 'main.js'),
    );
    expect(BUILD_DIR).toBe(path.join(PROJECT_ROOT, 'dist'));
  });
});
