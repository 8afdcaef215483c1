import fs from 'node:fs';
import path from 'node:path';

/**
 * The repository's root: the nearest folder above this file with a package.json. The same
 * whether this module runs from its TypeScript source or from the compiled copy in dist/.
 */
export const PROJECT_ROOT = findRoot(__dirname);

/** The folder compiled JavaScript is written to (`npm run build`). */
export const BUILD_DIR = path.join(PROJECT_ROOT, 'dist');

/** True when this process runs the compiled JavaScript in dist/, not the TypeScript sources. */
export const RUNS_COMPILED = __dirname.startsWith(BUILD_DIR + path.sep);

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** A file of the repository (data, YAML, migrations' names): always the source tree's copy. */
export function projectPath(...segments: string[]): string {
  return path.join(PROJECT_ROOT, ...segments);
}

/**
 * Where the code of a source file or folder is loaded from in this process: the compiled copy
 * under dist/ when running compiled, the source itself otherwise. Paths outside the repository
 * are returned unchanged (their code is loaded as it is).
 *
 * @example codePath(projectPath('migrations', 'catalog-service')) // → dist/migrations/catalog-service when compiled
 */
export function codePath(sourcePath: string): string {
  if (!RUNS_COMPILED) return sourcePath;
  const relative = path.relative(PROJECT_ROOT, path.resolve(sourcePath));
  if (relative.startsWith('..') || path.isAbsolute(relative) || relative.startsWith('dist')) {
    return sourcePath;
  }
  return path.join(BUILD_DIR, relative);
}
