import fs from 'node:fs';
import { z } from 'zod';
import { SeamsError } from './errors';

const globs = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

const ruleSchema = z
  .object({
    name: z.string().min(1),
    from: globs,
    to: globs,
    /** Count type-only imports too (default: only runtime imports break the rule). */
    includeTypeOnly: z.boolean().default(false),
    comment: z.string().optional(),
  })
  .strict();

const faceSchema = z
  .object({
    name: z.string().min(1),
    /** Folders (globs relative to --root, e.g. `src/features/*`), each one a feature. */
    folders: globs,
    /** The files of a folder that code outside it may import (default: its index file). */
    face: globs.default(['index.{ts,tsx,js,mjs,cjs}']),
    comment: z.string().optional(),
  })
  .strict();

const configSchema = z
  .object({
    contexts: z.record(z.string().min(1), globs).optional(),
    exclude: z.array(z.string().min(1)).default([]),
    tsconfig: z.string().optional(),
    forbidden: z.array(ruleSchema).default([]),
    /** Folders that code outside them may import only through their public face. */
    publicFaces: z.array(faceSchema).default([]),
    /** Test doubles and fakes: imports to or from them are not runtime coupling. */
    testDoubles: z.array(z.string().min(1)).default([]),
    /** Project functions that run a callback in one transaction (`withTransaction`, `UnitOfWork.run`). */
    transactionWrappers: z.array(z.string().min(1)).default([]),
  })
  .strict();

export type SeamsConfig = Readonly<z.output<typeof configSchema>>;
export type ForbiddenRule = z.output<typeof ruleSchema>;
export type PublicFaceRule = z.output<typeof faceSchema>;

export const DEFAULT_CONFIG: SeamsConfig = Object.freeze({
  exclude: [],
  forbidden: [],
  publicFaces: [],
  testDoubles: [],
  transactionWrappers: [],
});

/**
 * Loads a seams config (YAML or JSON). Without `contexts`, each top-level
 * folder under the root is a context. `forbidden` rules name contexts (globs
 * allowed) that must not import others.
 *
 * @example contexts: { catalog: ['catalog/**'] }, forbidden: [{ name: no-monolith, from: proxy, to: monolith }]
 */
export function loadConfig(file: string | undefined): SeamsConfig {
  if (!file) return DEFAULT_CONFIG;
  let raw: unknown;
  try {
    const YAML = require('yaml') as typeof import('yaml');
    raw = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new SeamsError(
      'ERR_SEAMS_CONFIG',
      `${file}: not valid YAML (${(error as Error).message.split('\n')[0]}); fix the syntax`,
    );
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(top level)';
    throw new SeamsError(
      'ERR_SEAMS_CONFIG',
      `${file}: field "${field}": ${issue.message}. Expected e.g. contexts: { catalog: ["catalog/**"] }, exclude: ["**/*.test.ts"], forbidden: [{ name, from, to }], publicFaces: [{ name, folders }], testDoubles: ["**/fakes/**"], transactionWrappers: [withTransaction]`,
    );
  }
  return Object.freeze(parsed.data);
}
