import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import type { ts as TS } from 'ts-morph';
import { SeamsError } from '../errors';
import { loadCompiler } from './load-compiler';

export type Resolution =
  | { kind: 'internal'; file: string }
  /** A source file outside the root (a workspace package next to it): read for constants only. */
  | { kind: 'outside'; file: string }
  /** A package, or a declaration file (`file`, relative to the root), which has no values to read. */
  | { kind: 'external'; file?: string }
  | { kind: 'builtin' }
  | { kind: 'unresolved' };

export interface ModuleResolver {
  resolve(fromFile: string, specifier: string): Resolution;
  /** Resolutions made by this run, to store in the cache. */
  entries(): Record<string, Resolution>;
  tsconfig: string | undefined;
}

const BUILTINS = new Set(builtinModules);

// Loaded on demand: a fully cached re-run never needs the compiler.
const loadTypeScript = (): typeof TS => loadCompiler();

export function findTsconfig(root: string, explicit: string | undefined): string | undefined {
  if (explicit) return explicit;
  for (let dir = root; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readCompilerOptions(ts: typeof TS, tsconfig: string | undefined): TS.CompilerOptions {
  const base: TS.CompilerOptions = { allowJs: true, resolveJsonModule: true };
  if (!tsconfig)
    return {
      ...base,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
    };
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (read.error) {
    throw new SeamsError(
      'ERR_SEAMS_TSCONFIG',
      `${tsconfig}: ${ts.flattenDiagnosticMessageText(read.error.messageText, ' ')}; fix it or pass another with --tsconfig`,
    );
  }
  // An empty readDirectory: only the options matter here, enumerating files would cost a full walk.
  const host = { ...ts.sys, readDirectory: () => [] as string[] };
  const parsed = ts.parseJsonConfigFileContent(
    read.config,
    host,
    path.dirname(tsconfig),
    undefined,
    tsconfig,
  );
  return { ...parsed.options, ...base };
}

/**
 * Resolves import specifiers the way TypeScript does (tsconfig `paths`,
 * `baseUrl`, index files, package exports), falling back to bundler-style
 * resolution for extensionless ESM imports. `known` holds cached answers.
 */
export function createModuleResolver(
  root: string,
  tsconfig: string | undefined,
  known: Record<string, Resolution>,
): ModuleResolver {
  const made: Record<string, Resolution> = {};
  let resolveWithTs: ((fromAbs: string, specifier: string) => string | undefined) | undefined;

  const initialise = () => {
    const ts = loadTypeScript();
    const options = readCompilerOptions(ts, tsconfig);
    const fallback: TS.CompilerOptions = {
      ...options,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
    };
    const exists = new Map<string, boolean>();
    const host: TS.ModuleResolutionHost = {
      fileExists: (file) => {
        let hit = exists.get(file);
        if (hit === undefined) exists.set(file, (hit = ts.sys.fileExists(file)));
        return hit;
      },
      readFile: ts.sys.readFile,
      directoryExists: ts.sys.directoryExists,
      realpath: ts.sys.realpath,
      getCurrentDirectory: () => root,
    };
    const cache = ts.createModuleResolutionCache(root, (f) => f, options);
    const fallbackCache = ts.createModuleResolutionCache(root, (f) => f, fallback);
    return (fromAbs: string, specifier: string) => {
      const first = ts.resolveModuleName(specifier, fromAbs, options, host, cache).resolvedModule;
      const found =
        first ??
        ts.resolveModuleName(specifier, fromAbs, fallback, host, fallbackCache).resolvedModule;
      if (!found) return undefined;
      return found.isExternalLibraryImport ? 'external' : found.resolvedFileName;
    };
  };

  const resolveFresh = (fromFile: string, specifier: string): Resolution => {
    const bare = specifier.replace(/^node:/, '');
    if (specifier.startsWith('node:') || BUILTINS.has(bare)) return { kind: 'builtin' };
    resolveWithTs ??= initialise();
    const found = resolveWithTs(path.join(root, fromFile), specifier);
    if (found === undefined) return { kind: 'unresolved' };
    if (found === 'external') return { kind: 'external' };
    const relative = path.relative(root, found).split(path.sep).join('/');
    if (/\.d\.[cm]?ts$/.test(found)) return { kind: 'external', file: relative };
    if (!relative.startsWith('..')) return { kind: 'internal', file: relative };
    return relative.includes('/node_modules/')
      ? { kind: 'external', file: relative }
      : { kind: 'outside', file: relative };
  };

  return {
    tsconfig,
    resolve(fromFile, specifier) {
      const key = `${path.posix.dirname(fromFile)}\0${specifier}`;
      const hit = known[key] ?? made[key];
      if (hit) {
        made[key] = hit;
        return hit;
      }
      return (made[key] = resolveFresh(fromFile, specifier));
    },
    entries: () => made,
  };
}
