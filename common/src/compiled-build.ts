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
 * Brings dist/ up to date with the sources before they run compiled: nothing to do when no
 * source changed since the last build (the usual case after `npm install`) and every entry
 * point's compiled file is there; otherwise a `tsc` build (incremental, or a full one when
 * compiled files went missing, which tsc's incremental state would not notice). Type errors
 * throw with tsc's messages.
 *
 * @example ensureCompiled(say, ['strangler-proxy/src/main.ts'])
 */
export function ensureCompiled(say: (line: string) => void, entries: readonly string[]): void {
  const missing = entries.filter((entry) => !fs.existsSync(compiledScript(entry)));
  const changed = changedSinceBuild();
  if (changed.length === 0 && missing.length === 0) return;
  const started = Date.now();
  let what = changed[0] === '(no build yet)' ? 'no build yet' : `${changed.length} file(s) changed`;
  if (missing.length > 0) {
    // A full build: the incremental state still lists the lost files as written.
    fs.rmSync(BUILD_INFO, { force: true });
    what = `missing ${path.relative(PROJECT_ROOT, compiledScript(missing[0]))}`;
  }
  say(`compiling TypeScript to dist/ (${what}; npm run build)…`);
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(PROJECT_ROOT, 'tsconfig.build.json')],
    { cwd: PROJECT_ROOT, encoding: 'utf8' },
  );
  if (tsc.status !== 0) {
    throw new Error(
      `the TypeScript build (npm run build) failed; fix these errors and try again:\n${(tsc.stdout + tsc.stderr).trim()}`,
    );
  }
  const lost = entries.filter((entry) => !fs.existsSync(compiledScript(entry)));
  if (lost.length > 0) {
    throw new Error(
      `the build wrote no ${path.relative(PROJECT_ROOT, compiledScript(lost[0]))}: is ${lost[0]} inside tsconfig.build.json's "include"?`,
    );
  }
  // tsc leaves an unchanged build info untouched; its time stamp marks this check as done.
  const now = new Date();
  fs.utimesSync(BUILD_INFO, now, now);
  say(`compiled in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
