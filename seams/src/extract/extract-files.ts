import fs from 'node:fs';
import path from 'node:path';
import type { EventEmitter } from 'node:events';
import type { FileFacts } from './facts';
import { hashText, type FactsCache } from './cache';
import { loadPostgresParser, mayContainSql } from './postgres-parser';
import type { SqlParser } from './read-sql';

export interface ExtractedFiles {
  facts: Map<string, FileFacts>;
  hashes: Record<string, string>;
  parsed: number;
  reused: number;
  /** Unchanged files whose size or mtime moved: worth saving so the next run skips reading them. */
  refreshed: number;
}

/**
 * Reads every file, reuses cached facts when its content hash is unchanged and
 * parses the rest. The parser (and the TypeScript compiler with it) is loaded
 * only when at least one file needs parsing.
 */
export async function extractFiles(
  root: string,
  files: readonly string[],
  cache: FactsCache,
  events: EventEmitter,
): Promise<ExtractedFiles> {
  const facts = new Map<string, FileFacts>();
  const hashes: Record<string, string> = {};
  let parse: ((name: string, text: string, sql?: SqlParser) => FileFacts) | undefined;
  // Loaded once, and only when a file to parse has SQL in it; whether a file gets it
  // depends on its text alone, so its cached facts never depend on what ran before.
  let sqlParser: Promise<SqlParser | undefined> | undefined;
  let parsed = 0;
  let reused = 0;
  let refreshed = 0;
  events.emit('progress', { phase: 'extract', done: 0, total: files.length });
  const trustedBefore = (cache.savedAt ?? 0) - 2000;
  for (const [index, file] of files.entries()) {
    if (index % 50 === 49)
      events.emit('progress', { phase: 'extract', done: index + 1, total: files.length });
    const absolute = path.join(root, file);
    const cached = cache.files[file];
    // Like git's index: same size and mtime (not racy) means same content, without reading the file.
    const stat = cached ? fs.statSync(absolute) : undefined;
    if (
      cached &&
      stat &&
      cached.size === stat.size &&
      cached.mtimeMs === stat.mtimeMs &&
      stat.mtimeMs < trustedBefore
    ) {
      facts.set(file, cached.facts);
      hashes[file] = cached.hash;
      reused += 1;
      continue;
    }
    const text = fs.readFileSync(absolute, 'utf8');
    const hash = hashText(text);
    hashes[file] = hash;
    const { size, mtimeMs } = stat ?? fs.statSync(absolute);
    if (cached && cached.hash === hash) {
      facts.set(file, cached.facts);
      if (cached.size !== size || cached.mtimeMs !== mtimeMs) refreshed += 1;
      cache.files[file] = { ...cached, size, mtimeMs };
      reused += 1;
    } else {
      // Required lazily: loading the compiler costs more than reading a fully cached tree.
      parse ??= (require('./parse-file') as typeof import('./parse-file')).parseFile;
      const withSql = mayContainSql(text);
      if (withSql) sqlParser ??= loadPostgresParser();
      const fileFacts = parse(file, text, withSql ? await sqlParser : undefined);
      facts.set(file, fileFacts);
      cache.files[file] = { hash, size, mtimeMs, facts: fileFacts };
      parsed += 1;
    }
  }
  // Files outside the root (read for constants by the linker) stay: they are not listed here.
  for (const file of Object.keys(cache.files))
    if (!facts.has(file) && !file.startsWith('..')) delete cache.files[file];
  events.emit('progress', { phase: 'extract', done: files.length, total: files.length });
  return { facts, hashes, parsed, reused, refreshed };
}

/**
 * Source files outside the root that imports lead to (a workspace package next
 * to the source), read on demand for their constants and cached like the rest.
 */
export function readOutsideFiles(
  root: string,
  cache: FactsCache,
): { load(file: string): FileFacts | undefined; changed(): boolean } {
  const loaded = new Map<string, FileFacts | undefined>();
  let changed = false;
  return {
    load(file) {
      if (loaded.has(file)) return loaded.get(file);
      let facts: FileFacts | undefined;
      try {
        const text = fs.readFileSync(path.join(root, file), 'utf8');
        const hash = hashText(text);
        const cached = cache.files[file];
        if (cached?.hash === hash) facts = cached.facts;
        else {
          const { parseFile } = require('./parse-file') as typeof import('./parse-file');
          facts = parseFile(file, text);
          cache.files[file] = { hash, facts };
          changed = true;
        }
      } catch {
        facts = undefined;
      }
      loaded.set(file, facts);
      return facts;
    },
    changed: () => changed,
  };
}
