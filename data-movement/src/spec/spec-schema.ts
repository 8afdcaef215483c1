import { z } from 'zod';

// SECURITY: every table and column name from the spec ends up quoted in SQL, so
// only plain identifiers are accepted (no quotes, no dots, no spaces).
const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain SQL identifier (letters, digits, _)');

const connection = z.strictObject({
  /** Environment variable holding the database URL. */
  env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name'),
  /** Used when the variable is unset: a URL, sqlite:<file>, or a bare name for data/<name>.sqlite. */
  default: z.string().min(1).optional(),
  /** The proxy upstream that serves this side (source: monolith). */
  upstream: z.string().min(1).optional(),
  /** Folder of this database's knex migrations, relative to the spec file; run before copying. */
  migrations: z.string().min(1).optional(),
});

const table = z.strictObject({
  name: identifier,
  /** The table's name in the target, when it differs. */
  target: identifier.optional(),
  key: identifier,
  keyType: z.enum(['integer', 'text']).default('integer'),
  /** A list (same names on both sides) or a map source column → target column. */
  columns: z.union([z.array(identifier).min(1), z.record(identifier, identifier)]),
});

const dataSet = z.strictObject({
  owner: z.string().min(1),
  source: connection,
  target: connection,
  tables: z.array(table).min(1),
});

export const specSchema = z.strictObject({
  version: z.literal(1),
  /** The proxy's routes file, relative to the spec: its dataSets say who owns what at run time. */
  routes: z.string().min(1).optional(),
  changes: z
    .strictObject({
      /** Applied change rows older than this are deleted by sync. */
      retentionHours: z.number().min(0).default(24),
    })
    .default({ retentionHours: 24 }),
  dataSets: z.record(identifier, dataSet),
});

export type SpecDocument = z.infer<typeof specSchema>;
