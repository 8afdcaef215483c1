import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FileFacts } from './facts';
import type { Resolution } from './resolve-modules';
import { writeFileAtomically } from '../../../common/src/atomic-write';

const CACHE_FORMAT = 2;

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

/** Members left out of the stored facts when empty (most are), restored on load. */
const FILE_DEFAULTS = ['imports', 'classes', 'functions', 'parseErrors'] as const;
const FILE_MAPS = ['bindings', 'exports', 'constants'] as const;
const FUNCTION_LISTS = ['accesses', 'calls', 'transactions'] as const;
const CLASS_MAPS = ['fieldTypes', 'stringFields', 'fieldIdentifiers'] as const;

type Loose = Record<string, unknown>;
const isEmpty = (value: unknown) =>
  Array.isArray(value)
    ? value.length === 0
    : typeof value === 'object' && value !== null && Object.keys(value).length === 0;

function withoutEmpty(object: Loose, keys: readonly string[]): Loose {
  const out: Loose = { ...object };
  for (const key of keys) if (isEmpty(out[key])) delete out[key];
  return out;
}

/** The stored form: about a third smaller, so a cached run reads (and writes) it faster. */
function compactFacts(facts: FileFacts): Loose {
  const compact = withoutEmpty(facts as unknown as Loose, [...FILE_DEFAULTS, ...FILE_MAPS]);
  if (facts.functions.length > 0)
    compact.functions = facts.functions.map((fn) =>
      withoutEmpty(fn as unknown as Loose, [...FUNCTION_LISTS, 'variableTypes']),
    );
  if (facts.classes.length > 0)
    compact.classes = facts.classes.map((c) => withoutEmpty(c as unknown as Loose, CLASS_MAPS));
  return compact;
}

function expandFacts(stored: Loose): FileFacts {
  for (const key of FILE_DEFAULTS) stored[key] ??= [];
  for (const key of FILE_MAPS) stored[key] ??= {};
  for (const fn of stored.functions as Loose[]) {
    for (const key of FUNCTION_LISTS) fn[key] ??= [];
    fn.variableTypes ??= {};
  }
  for (const c of stored.classes as Loose[]) for (const key of CLASS_MAPS) c[key] ??= {};
  return stored as unknown as FileFacts;
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
    if (!parsed.files || !parsed.resolutions) return emptyCache();
    for (const entry of Object.values(parsed.files))
      entry.facts = expandFacts(entry.facts as unknown as Loose);
    return parsed;
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
  const files = Object.fromEntries(
    Object.entries(cache.files).map(([file, entry]) => [
      file,
      { ...entry, facts: compactFacts(entry.facts) },
    ]),
  );
  // A crash mid-write never leaves a truncated cache.
  writeFileAtomically(file, JSON.stringify({ ...cache, files, savedAt: Date.now() }));
}
