import { InvalidArgumentError } from 'commander';
import { UsageError } from './cli';

/**
 * Every numeric and enumerated CLI value is read here, so each command refuses
 * bad input the same way: a message naming the flag, the range and an
 * example, and exit 2 (never a stack trace, never a silently rounded value).
 */
export interface IntegerRule {
  flag: string;
  min: number;
  max?: number;
  example: string;
}

export interface NumberRule extends IntegerRule {
  /** The lowest value is itself refused (e.g. a scale must be above 0). */
  exclusiveMin?: boolean;
}

const range = (rule: IntegerRule) =>
  rule.max === undefined ? `of at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;

/** A whole number in range; "10.5", "abc", "" and "1e3" are refused. */
export function readInteger(raw: string | number, rule: IntegerRule): number {
  const text = String(raw).trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < rule.min || (rule.max !== undefined && n > rule.max))
    throw new UsageError(
      `${rule.flag} must be a whole number ${range(rule)} (got "${raw}"), e.g. ${rule.example}`,
    );
  return n;
}

/** A finite decimal number in range (e.g. a seed scale of 0.02). */
export function readNumber(raw: string | number, rule: NumberRule): number {
  const text = String(raw).trim();
  const n = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  const tooLow = rule.exclusiveMin ? n <= rule.min : n < rule.min;
  if (!Number.isFinite(n) || tooLow || (rule.max !== undefined && n > rule.max)) {
    const lower = rule.exclusiveMin ? `above ${rule.min}` : `at least ${rule.min}`;
    const upper = rule.max === undefined ? '' : ` and at most ${rule.max}`;
    throw new UsageError(
      `${rule.flag} must be a number ${lower}${upper} (got "${raw}"), e.g. ${rule.example}`,
    );
  }
  return n;
}

/** One of a fixed set of words, compared case-insensitively; returns the canonical spelling. */
export function readChoice<T extends string>(raw: string, what: string, choices: readonly T[]): T {
  const found = choices.find((c) => c.toLowerCase() === raw.trim().toLowerCase());
  if (!found) throw new UsageError(`${what} "${raw}" is not one of ${choices.join(', ')}`);
  return found;
}

/** A TCP port; 0 asks the system for a free one. */
export const readPort = (raw: string | number, flag = 'port') =>
  readInteger(raw, { flag, min: 0, max: 65535, example: `${flag} 8080` });

/** A canary share: a whole percent, 0 to 100. */
export const readPercent = (raw: string | number, flag = '--percent') =>
  readInteger(raw, { flag, min: 0, max: 100, example: `${flag} 10` });

/**
 * Wraps a reader as a commander option parser: commander reports the message
 * through the program's exit override (exit 2) instead of an uncaught throw.
 *
 * @example .option('--percent <n>', 'canary share', asOptionParser(readPercent))
 */
export function asOptionParser<T>(read: (raw: string) => T): (raw: string) => T {
  return (raw) => {
    try {
      return read(raw);
    } catch (error) {
      if (error instanceof UsageError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}
