/**
 * What an exercise's check.ts is written with: criteria run in order against a
 * working tree, each answering pass, fail (what is wrong and what to look at
 * next) or environment (the check could not run here; not the learner's fault).
 *
 * @example
 * export default defineCheck({
 *   criteria: [{ title: 'no context reads the countries table', async verify(ctx) { return pass(); } }],
 * });
 */
export type Verdict =
  | { status: 'pass'; detail?: string }
  | { status: 'fail'; detail: string; next: string }
  | { status: 'environment'; detail: string };

export interface CheckContext {
  /** The working tree being checked (absolute path). */
  readonly root: string;
  /** A fresh temporary folder, removed when the check ends. */
  tempDir(label: string): string;
  /** Memoised async work shared by criteria (the first caller runs it, later ones wait for it). */
  once<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** A short line telling the learner what the check is doing now. */
  progress(message: string): void;
  /** Cleanup run when the check ends, last registered first. */
  defer(cleanup: () => unknown | Promise<unknown>): void;
}

export interface Criterion {
  title: string;
  /** Run even when an earlier criterion failed. */
  independent?: boolean;
  verify(ctx: CheckContext): Promise<Verdict>;
}

export interface Check {
  criteria: readonly Criterion[];
}

export function defineCheck(check: Check): Check {
  if (!Array.isArray(check?.criteria) || check.criteria.length === 0)
    throw new TypeError('defineCheck needs { criteria: [...] } with at least one criterion');
  return check;
}

export const pass = (detail?: string): Verdict => ({ status: 'pass', detail });

/** What is wrong, and what to look at next. */
export const fail = (detail: string, next: string): Verdict => ({ status: 'fail', detail, next });

/** The check could not run for an environmental reason: say so and how to fix it. */
export const environment = (detail: string): Verdict => ({ status: 'environment', detail });
