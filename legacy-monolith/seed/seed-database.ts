import type { Knex } from 'knex';
import { engineOf, toNumber } from '../../common/src/database';
import { createProgress } from '../../common/src/progress';
import { estimateRows, generateSeedRows, planSeed, TABLES_WITH_SERIAL_ID } from './generate';
import { writeSeedEvents } from './seed-events';
import { createBatchWriter } from './write-batches';

export interface SeedResult {
  rows: number;
  /** Outbox events written for the seeded history (0 with `events: false`). */
  events: number;
  perTable: Record<string, number>;
  seconds: number;
}

export class SeedError extends Error {
  constructor(
    readonly code: 'ERR_SEED_NOT_EMPTY' | 'ERR_SEED_BAD_SCALE',
    message: string,
  ) {
    super(message);
    this.name = 'SeedError';
  }
}

export async function isDatabaseEmpty(db: Knex): Promise<boolean> {
  const [row] = await db('albums').count({ n: '*' });
  const [countries] = await db('countries').count({ n: '*' });
  return toNumber(row.n) === 0 && toNumber(countries.n) === 0;
}

/**
 * Seeds a migrated, empty MusicCorp database with deterministic data.
 *
 * @example await seedDatabase(db, { scale: 1 }) // the demo: 1,000 albums, ~10,000 order lines
 */
export async function seedDatabase(
  db: Knex,
  options: {
    scale: number;
    seed?: number;
    progress?: boolean;
    /** Also write the outbox events of the seeded orders (default true), so consumers see the history. */
    events?: boolean;
  },
): Promise<SeedResult> {
  if (!Number.isFinite(options.scale) || options.scale <= 0 || options.scale > 1000) {
    throw new SeedError(
      'ERR_SEED_BAD_SCALE',
      `--scale must be a number above 0 and at most 1000 (got ${options.scale}); 1 is the demo, 100 is 1M order lines`,
    );
  }
  if (!(await isDatabaseEmpty(db))) {
    throw new SeedError(
      'ERR_SEED_NOT_EMPTY',
      'the database already has data: run `strangler db reset --yes` first (it drops every row), or `strangler db seed --reset --yes`',
    );
  }
  const plan = planSeed(options.scale, options.seed);
  const started = Date.now();
  const progress =
    options.progress === false ? null : createProgress('seeding', Math.round(estimateRows(plan)));
  const writer = await createBatchWriter(db);
  const perTable: Record<string, number> = {};
  let rows = 0;
  try {
    for (const batch of generateSeedRows(plan)) {
      await writer.write(batch);
      perTable[batch.table] = (perTable[batch.table] ?? 0) + batch.rows.length;
      rows += batch.rows.length;
      progress?.tick(rows);
    }
  } finally {
    await writer.close();
  }
  if (engineOf(db) === 'postgres') await resetSequences(db);
  progress?.finish();
  const events = options.events === false ? 0 : await writeSeedEvents(db);
  return { rows, events, perTable, seconds: (Date.now() - started) / 1000 };
}

// necessary because rows were inserted with explicit ids: the serial sequences must move past them.
async function resetSequences(db: Knex): Promise<void> {
  for (const table of TABLES_WITH_SERIAL_ID) {
    await db.raw(
      `SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM ??), 0) + 1, false)`,
      [table, table],
    );
  }
}
