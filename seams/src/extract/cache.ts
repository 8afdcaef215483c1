import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FileFacts } from './facts';
import type { Resolution } from './resolve-modules';

const CACHE_FORMAT = 1;

export interface FactsCache {
  /** When the cache was written (ms): a file modified within 2 s before that is re-hashed (racy mtime). */
  savedAt?: number;
  /** Per file: content hash, and size + mtime as a shortcut that avoids reading unchanged files. */
  files: Record<string, { hash: string; size?: number; mtimeMs?: number; facts: FileFacts }>;
  /** Module resolutions, valid only for the same file list and tsconfig. */
  resolutions: { validity: string; entries: Record<string, Resolution> };
}

export function hashText(text: string | Buffer): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}

function cacheFile(cacheDir: string, root: string, extractorVersion: number): string {
  return path.join(
    cacheDir,
    `seams-${hashText(`${root}\0${extractorVersion}\0${CACHE_FORMAT}`).slice(0, 16)}.json`,
  );
}

export function emptyCache(): FactsCache {
  return { files: {}, resolutions: { validity: '', entries: {} } };
}

/** Reads the cache of a root; a missing or unreadable cache is an empty one (never an error). */
export function loadCache(cacheDir: string, root: string, extractorVersion: number): FactsCache {
  try {
    const parsed = JSON.parse(
      fs.readFileSync(cacheFile(cacheDir, root, extractorVersion), 'utf8'),
    ) as FactsCache;
    return parsed.files && parsed.resolutions ? parsed : emptyCache();
  } catch {
    return emptyCache();
  }
}

export function saveCache(
  cacheDir: string,
  root: string,
  extractorVersion: number,
  cache: FactsCache,
): void {
  fs.mkdirSync(cacheDir, { recursive: true });
  const file = cacheFile(cacheDir, root, extractorVersion);
  // Written aside then renamed, so a crash mid-write never leaves a truncated cache.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ ...cache, savedAt: Date.now() }));
  fs.renameSync(temporary, file);
}
