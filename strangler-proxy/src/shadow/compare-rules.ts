import { z } from 'zod';
import { parsePathPattern, type PathPattern } from './json-path';
import { ShadowError } from './errors';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

const pathPattern = z.string().superRefine((value, ctx) => {
  try {
    parsePathPattern(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const toleranceSchema = z.strictObject({
  absolute: z.number().min(0).default(0),
  relative: z.number().min(0).max(1).default(0),
});

/**
 * Per-route diff rules, embeddable in the routes file as `shadow: { upstream, compare: {...} }`.
 * The parsed value keeps plain strings so the proxy can write the file back unchanged.
 */
export const compareRulesSchema = z.strictObject({
  status: z.boolean().default(true),
  headers: z
    .array(
      z.string().regex(HEADER_NAME, { error: 'must be an HTTP header name like content-type' }),
    )
    .default([]),
  ignore: z.array(pathPattern).default([]),
  arrayKeys: z.record(pathPattern, z.string().min(1)).default({}),
  tolerance: toleranceSchema.optional(),
  toleranceByPath: z.record(pathPattern, toleranceSchema).default({}),
  body: z.enum(['auto', 'json', 'bytes']).default('auto'),
  maxDifferences: z.number().int().min(1).max(10_000).default(100),
});

/** Noise learning: send `share` of shadowed requests to the primary twice; a field is noise after it differs in `threshold` of the last `samples`. */
export const learnNoiseSchema = z
  .strictObject({
    share: z.number().gt(0).max(1).default(0.05),
    samples: z.number().int().min(1).max(1000).default(20),
    threshold: z.number().int().min(1).max(1000).default(3),
  })
  .refine((l) => l.threshold <= l.samples, { error: 'threshold must not exceed samples' });

const shadowObjectSchema = z.strictObject({
  upstream: z.string().min(1),
  sandbox: z.boolean().default(false),
  /** The share of the route's requests mirrored (per user when the route is sticky). */
  percent: z.number().min(0).max(100).default(100),
  maxConcurrent: z.number().int().min(1).max(1000).default(10),
  timeoutMs: z.number().int().positive().max(600_000).default(2_000),
  compare: compareRulesSchema.prefault({}),
  learnNoise: z.union([z.literal(false), learnNoiseSchema]).default(false),
});

/** The `shadow:` block of a route: `shadow: catalog`, or an object. `sandbox: true` allows methods other than GET and HEAD. */
export const shadowSpecSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { upstream: value } : value),
  shadowObjectSchema,
);

export type CompareRules = z.infer<typeof compareRulesSchema>;
export type CompareRulesInput = z.input<typeof compareRulesSchema>;
export type ShadowSpec = z.infer<typeof shadowSpecSchema>;
export type LearnNoiseSpec = z.infer<typeof learnNoiseSchema>;
export type Tolerance = z.infer<typeof toleranceSchema>;

/** Rules with their patterns parsed once, ready for many comparisons. */
export interface CompiledRules {
  status: boolean;
  headers: string[];
  ignore: PathPattern[];
  arrayKeys: Array<{ pattern: PathPattern; key: string }>;
  tolerance: Tolerance;
  toleranceByPath: Array<{ pattern: PathPattern; tolerance: Tolerance }>;
  body: CompareRules['body'];
  maxDifferences: number;
}

/** Validates raw rules (from YAML/JSON) and compiles them; `source` names the file in errors. */
export function compileRules(raw: unknown = {}, source = 'compare rules'): CompiledRules {
  const parsed = compareRulesSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `${source}: ${issue.path.map(String).join('.') || 'top level'}: ${issue.message}`,
    );
    throw new ShadowError(
      'ERR_SHADOW_RULES_INVALID',
      `${lines.join('\n')}\n(see strangler-proxy/src/shadow/README.md for the rules format)`,
    );
  }
  const rules = parsed.data;
  return {
    status: rules.status,
    headers: rules.headers.map((h) => h.toLowerCase()),
    ignore: rules.ignore.map(parsePathPattern),
    arrayKeys: Object.entries(rules.arrayKeys).map(([path, key]) => ({
      pattern: parsePathPattern(path),
      key,
    })),
    tolerance: rules.tolerance ?? { absolute: 0, relative: 0 },
    toleranceByPath: Object.entries(rules.toleranceByPath).map(([path, tolerance]) => ({
      pattern: parsePathPattern(path),
      tolerance,
    })),
    body: rules.body,
    maxDifferences: rules.maxDifferences,
  };
}
