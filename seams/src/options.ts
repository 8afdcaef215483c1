import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SeamsError } from './errors';

export const FORMATS = ['text', 'json', 'md', 'mermaid', 'dot', 'html'] as const;
export type Format = (typeof FORMATS)[number];

const optionsSchema = z
  .object({
    root: z.string().min(1, 'give the source folder, e.g. --root legacy-monolith/src'),
    config: z.string().optional(),
    tsconfig: z.string().optional(),
    db: z.string().optional(),
    format: z.array(z.enum(FORMATS)).min(1).default(['text']),
    out: z.string().optional(),
    baseline: z.string().optional(),
    updateBaseline: z.boolean().default(false),
    /** new: new seams against --baseline; any: any seam; rules: only (new) rule violations. */
    failOn: z.enum(['new', 'any', 'rules']).optional(),
    cache: z.boolean().default(true),
    cacheDir: z.string().optional(),
    schemaspy: z.boolean().default(false),
    /** How deep calls are followed from a transaction body. */
    maxDepth: z.number().int().min(1).max(12).default(6),
  })
  .strict();

export type SeamsOptionsInput = z.input<typeof optionsSchema>;
export type SeamsOptions = Readonly<
  Omit<z.output<typeof optionsSchema>, 'cacheDir'> & { cacheDir: string }
>;

function existing(
  file: string | undefined,
  flag: string,
  kind: 'file' | 'dir',
): string | undefined {
  if (file === undefined) return undefined;
  const absolute = path.resolve(file);
  const stat = fs.statSync(absolute, { throwIfNoEntry: false });
  const ok = kind === 'dir' ? stat?.isDirectory() : stat?.isFile();
  if (!ok) {
    const code = flag === '--root' ? 'ERR_SEAMS_ROOT_NOT_FOUND' : 'ERR_SEAMS_OPTIONS';
    throw new SeamsError(
      code,
      `${flag} ${file}: no such ${kind === 'dir' ? 'folder' : 'file'} (resolved to ${absolute}); check the path`,
    );
  }
  return absolute;
}

/**
 * Validates options before any work starts; paths come back absolute and the
 * result is frozen.
 *
 * @example validateOptions({ root: 'legacy-monolith/src', format: ['text', 'json'] })
 */
export function validateOptions(input: SeamsOptionsInput): SeamsOptions {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'options';
    const hint = field.startsWith('format') ? ` (known formats: ${FORMATS.join(', ')})` : '';
    throw new SeamsError('ERR_SEAMS_OPTIONS', `seams option "${field}": ${issue.message}${hint}`);
  }
  const options = parsed.data;
  if (options.updateBaseline && !options.baseline) {
    throw new SeamsError(
      'ERR_SEAMS_OPTIONS',
      '--update-baseline needs --baseline <file> to know where to write, e.g. --baseline seams-baseline.json',
    );
  }
  return Object.freeze({
    ...options,
    root: existing(options.root, '--root', 'dir') as string,
    config: existing(options.config, '--config', 'file'),
    tsconfig: existing(options.tsconfig, '--tsconfig', 'file'),
    baseline: options.baseline ? path.resolve(options.baseline) : undefined,
    out: options.out ? path.resolve(options.out) : undefined,
    cacheDir: path.resolve(options.cacheDir ?? '.seams-cache'),
  });
}
