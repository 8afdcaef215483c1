import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BUILD_DIR, PROJECT_ROOT } from './project-root';

/** Where tsc records its incremental state; its time stamp is the last successful build's. */
const BUILD_INFO = path.join(BUILD_DIR, '.tsbuildinfo');
const SKIPPED = new Set(['node_modules', 'dist', 'data', '.git', 'coverage', 'reports']);

/** The compiled copy of one of the repository's TypeScript entry points, e.g. scripts/strangler.ts. */
export function compiledScript(script: string): string {
  return path.join(BUILD_DIR, script.replace(/\.ts$/, '.js'));
}

/** TypeScript sources (or build settings) changed since the last build, newest first; empty when none. */
export function changedSinceBuild(root = PROJECT_ROOT, buildInfo = BUILD_INFO): string[] {
  let built: number;
  try {
    built = fs.statSync(buildInfo).mtimeMs;
  } catch {
    return ['(no build yet)'];
  }
  const changed: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.ts$|^tsconfig.*\.json$/.test(entry.name) && fs.statSync(file).mtimeMs > built)
        changed.push(path.relative(root, file));
    }
  };
  walk(root);
  return changed;
}

/**
 * Brings dist/ up to date with the sources before `npm start` runs it: nothing to do when no
 * source changed since the last build (the usual case after `npm install`), otherwise an
 * incremental `tsc` build. Type errors stop the start: the message lists them.
 */
export function ensureCompiled(say: (line: string) => void): void {
  const changed = changedSinceBuild();
  if (changed.length === 0) return;
  const started = Date.now();
  const what =
    changed[0] === '(no build yet)' ? 'no build yet' : `${changed.length} file(s) changed`;
  say(`compiling TypeScript to dist/ (${what}; npm run build)…`);
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(PROJECT_ROOT, 'tsconfig.build.json')],
    { cwd: PROJECT_ROOT, encoding: 'utf8' },
  );
  if (tsc.status !== 0) {
    throw new Error(
      `the TypeScript build failed, so the stack was not started; fix these and run npm start again:\n${(tsc.stdout + tsc.stderr).trim()}`,
    );
  }
  // tsc leaves an unchanged build info untouched; its time stamp marks this check as done.
  const now = new Date();
  fs.utimesSync(BUILD_INFO, now, now);
  say(`compiled in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
