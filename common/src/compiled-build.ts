import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BUILD_DIR, PROJECT_ROOT } from './project-root';

/** A TypeScript project compiled to a folder; its tsconfig and entry points are relative to `root`. */
export interface BuildProject {
  root: string;
  /** Builds it: outDir `buildDir`, incremental, tsBuildInfoFile `<buildDir>/.tsbuildinfo`. */
  tsconfig: string;
  buildDir: string;
}

/** The repository's own build (`npm run build`, run by `npm install`). */
export const REPOSITORY_BUILD: Readonly<BuildProject> = Object.freeze({
  root: PROJECT_ROOT,
  tsconfig: 'tsconfig.build.json',
  buildDir: BUILD_DIR,
});

const SKIPPED = new Set(['node_modules', 'dist', 'data', '.git', 'coverage', 'reports']);

/** Where tsc records its incremental state; its time stamp is the last successful build's. */
function buildInfoOf(project: BuildProject): string {
  return path.join(project.buildDir, '.tsbuildinfo');
}

/** The compiled copy of one of the project's TypeScript entry points, e.g. scripts/strangler.ts. */
export function compiledScript(script: string, project: BuildProject = REPOSITORY_BUILD): string {
  return path.join(project.buildDir, script.replace(/\.ts$/, '.js'));
}

/** TypeScript sources (or build settings) changed since the last build; empty when none. */
export function changedSinceBuild(project: BuildProject = REPOSITORY_BUILD): string[] {
  let built: number;
  try {
    built = fs.statSync(buildInfoOf(project)).mtimeMs;
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
        changed.push(path.relative(project.root, file));
    }
  };
  walk(project.root);
  return changed;
}

/**
 * Brings dist/ up to date with the sources before they run compiled: nothing to do when no
 * source changed since the last build (the usual case after `npm install`) and every entry
 * point's compiled file is there; otherwise a `tsc` build (incremental, or a full one when
 * compiled files went missing, which tsc's incremental state would not notice). Type errors
 * throw with tsc's messages. `project` is the repository's build unless a test names another.
 *
 * @example ensureCompiled(say, ['strangler-proxy/src/main.ts'])
 */
export function ensureCompiled(
  say: (line: string) => void,
  entries: readonly string[],
  project: BuildProject = REPOSITORY_BUILD,
): void {
  const compiled = (entry: string) => compiledScript(entry, project);
  const shown = (file: string) => path.relative(project.root, file);
  const buildInfo = buildInfoOf(project);
  const missing = entries.filter((entry) => !fs.existsSync(compiled(entry)));
  const changed = changedSinceBuild(project);
  if (changed.length === 0 && missing.length === 0) return;
  const started = Date.now();
  const neverBuilt = changed[0] === '(no build yet)';
  let what = neverBuilt ? 'no build yet' : `${changed.length} file(s) changed`;
  if (missing.length > 0 && !neverBuilt) {
    // A full build: the incremental state still lists the lost files as written.
    fs.rmSync(buildInfo, { force: true });
    what = `missing ${shown(compiled(missing[0]))}`;
  }
  say(`compiling TypeScript to ${shown(project.buildDir)}/ (${what}; npm run build)…`);
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(project.root, project.tsconfig)],
    { cwd: project.root, encoding: 'utf8' },
  );
  if (tsc.status !== 0) {
    // tsc wrote its build info even so: dated back, the next call builds (and reports) again.
    if (fs.existsSync(buildInfo)) fs.utimesSync(buildInfo, 0, 0);
    throw new Error(
      `the TypeScript build (npm run build) failed; fix these errors and try again:\n${(tsc.stdout + tsc.stderr).trim()}`,
    );
  }
  const lost = entries.filter((entry) => !fs.existsSync(compiled(entry)));
  if (lost.length > 0) {
    throw new Error(
      `the build wrote no ${shown(compiled(lost[0]))}: is ${lost[0]} inside ${project.tsconfig}'s "include"?`,
    );
  }
  // tsc leaves an unchanged build info untouched; its time stamp marks this check as done.
  const now = new Date();
  fs.utimesSync(buildInfo, now, now);
  say(`compiled in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
