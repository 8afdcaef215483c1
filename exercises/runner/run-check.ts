import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Check, CheckContext, Verdict } from './check-kit';

export type Outcome = Verdict | { status: 'not-reached' };

export interface CriterionResult {
  title: string;
  outcome: Outcome;
  ms: number;
}

export interface CheckRun {
  results: CriterionResult[];
  /** 0 every criterion passed, 1 the learner has something to fix, 3 the environment stopped the check. */
  exitCode: 0 | 1 | 3;
}

export interface RunOptions {
  root: string;
  onProgress?: (message: string) => void;
  onResult?: (result: CriterionResult) => void;
}

// Errors a check meets when the machine, not the learner's code, is the problem.
const ENVIRONMENT_CODES: Record<string, string> = {
  EADDRINUSE:
    'a port is already in use: stop whatever holds it (npm start?) and run the check again',
  EACCES: 'permission denied: run from a folder you own',
  ENOSPC: 'the disk is full: free some space',
  EMFILE: 'too many open files: close other programs or raise ulimit -n',
};

/** Classifies an error a criterion threw: environmental (with how to fix it) or the learner's. */
export function verdictForError(error: unknown): Verdict {
  const err = error as NodeJS.ErrnoException;
  if (err?.code === 'ERR_EXERCISE_ENVIRONMENT')
    return { status: 'environment', detail: err.message };
  const fix = err?.code ? ENVIRONMENT_CODES[err.code] : undefined;
  if (fix) return { status: 'environment', detail: `${err.message} (${fix})` };
  const where = err?.stack
    ?.split('\n')
    .find((line) => line.includes('    at '))
    ?.trim();
  return {
    status: 'fail',
    detail: `the check stopped on an error: ${err?.message ?? String(error)}${where ? ` (${where})` : ''}`,
    next: 'this usually comes from code the exercise loads: does the tree still compile (npm run typecheck)?',
  };
}

/** Runs a check's criteria in order; after a failure only `independent` criteria still run. */
export async function runCheck(check: Check, options: RunOptions): Promise<CheckRun> {
  const temps: string[] = [];
  const cleanups: Array<() => unknown> = [];
  const memo = new Map<string, Promise<unknown>>();
  const ctx: CheckContext = {
    root: options.root,
    tempDir(label) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `exercise-${label.replace(/\W+/g, '-')}-`));
      temps.push(dir);
      return dir;
    },
    once<T>(key: string, work: () => Promise<T>): Promise<T> {
      if (!memo.has(key)) memo.set(key, work());
      return memo.get(key) as Promise<T>;
    },
    progress: (message) => options.onProgress?.(message),
    defer: (cleanup) => void cleanups.push(cleanup),
  };
  const results: CriterionResult[] = [];
  let stopped = false;
  try {
    for (const criterion of check.criteria) {
      const started = Date.now();
      let outcome: Outcome;
      if (stopped && !criterion.independent) outcome = { status: 'not-reached' };
      else {
        try {
          outcome = await criterion.verify(ctx);
        } catch (error) {
          outcome = verdictForError(error);
        }
        if (outcome.status !== 'pass') stopped = true;
      }
      const result = { title: criterion.title, outcome, ms: Date.now() - started };
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        options.onProgress?.(`cleanup failed: ${(error as Error).message}`);
      }
    }
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  }
  return { results, exitCode: exitCodeOf(results) };
}

export function exitCodeOf(results: readonly CriterionResult[]): 0 | 1 | 3 {
  if (results.some((r) => r.outcome.status === 'fail')) return 1;
  if (results.some((r) => r.outcome.status === 'environment')) return 3;
  if (results.some((r) => r.outcome.status === 'not-reached')) return 1;
  return 0;
}
