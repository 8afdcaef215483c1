import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.seams-cache']);

/**
 * Lists the source files under a root (relative POSIX paths, sorted), skipping
 * dependencies, build output, declaration files and the configured excludes.
 */
export function discoverFiles(root: string, exclude: readonly string[]): string[] {
  const isExcluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  const files: string[] = [];
  const walk = (dir: string, relative: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (
          SKIPPED_DIRS.has(entry.name) ||
          entry.name.startsWith('.') ||
          isExcluded(rel) ||
          isExcluded(`${rel}/`)
        )
          continue;
        walk(path.join(dir, entry.name), rel);
      } else if (
        entry.isFile() &&
        SOURCE_FILE.test(entry.name) &&
        !/\.d\.[cm]?ts$/.test(entry.name) &&
        !isExcluded(rel)
      ) {
        files.push(rel);
      }
    }
  };
  walk(root, '');
  return files.sort();
}
