import { z } from 'zod';
import { findUnsafeCharacter, unsafeTextMessage } from '../../../../common/src/safe-text';
import { describeNonObjectBody } from '../../../../common/src/json-body';
import { validationFailed } from '../errors';

// Copied from the monolith's http/validation.ts on purpose: the same input must
// fail with the same field names (`tracks[0].durationSeconds`) on both sides.

/** Largest value a PostgreSQL `integer` column holds. */
export const MAX_INT = 2_147_483_647;
export const MAX_PAGE_SIZE = 100;

export function formatField(path: readonly PropertyKey[], root: string): string {
  if (path.length === 0) return root;
  return path.reduce<string>((field, key) => {
    if (typeof key === 'number') return `${field}[${key}]`;
    return field ? `${field}.${String(key)}` : String(key);
  }, '');
}

/** Validates input against a schema; the first problem becomes a 400 naming its field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  root = 'body',
): z.output<S> {
  const notAnObject = describeNonObjectBody(schema, input);
  if (notAnObject) throw validationFailed(root, notAnObject);
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = formatField(issue.path, root);
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  throw validationFailed(
    field,
    missing ? `${field}: is required (${issue.expected})` : `${field}: ${issue.message}`,
  );
}

/** A whole number in a query string or path segment ("12"), within [min, max]. */
export function integerText(min = 1, max = MAX_INT) {
  return z
    .string()
    .regex(/^\d{1,10}$/, 'expected a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected a whole number from ${min} to ${max}`);
}

export function parseId(value: unknown, field = 'id'): number {
  return parseInput(integerText(1), value, field);
}

export function integerField(min: number, max: number) {
  return z.int(`expected a whole number from ${min} to ${max}`).min(min).max(max);
}

export function textField(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .superRefine((text, ctx) => {
      if (findUnsafeCharacter(text))
        ctx.addIssue({ code: 'custom', message: unsafeTextMessage(text) });
    });
}

export const pagingSchema = z.object({
  page: integerText(1, 1_000_000).default(1),
  pageSize: integerText(1, MAX_PAGE_SIZE).default(20),
});
