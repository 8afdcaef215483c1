import type { Command } from 'commander';
import type { Knex } from 'knex';
import { EXIT, runAction, UsageError } from '../../common/src/cli';
import { readNumber } from '../../common/src/cli-options';
import { openDatabase, parseDatabaseUrl, redactUrl } from '../../common/src/database';
import { migrateLatest, migrateRollbackAll } from '../../common/src/migrate';
import { seedDatabase, SeedError } from '../../legacy-monolith/seed/seed-database';

interface DbOptions {
  databaseUrl?: string;
}

/** Opens the database of `--database-url`, else $DATABASE_URL, else data/monolith.sqlite. */
async function withMonolithDb<T>(
  options: DbOptions,
  work: (db: Knex, where: string) => Promise<T>,
): Promise<T> {
  const target = parseDatabaseUrl(options.databaseUrl ?? process.env.DATABASE_URL, 'monolith');
  const db = openDatabase(target);
  try {
    return await work(
      db,
      target.engine === 'postgres' ? redactUrl(target.location) : target.location,
    );
  } finally {
    await db.destroy();
  }
}

/** A seed scale: above 0, at most 1000 (the seeder's own limit). */
export function parseScale(value: string, flag = '--scale'): number {
  return readNumber(value, {
    flag,
    min: 0,
    exclusiveMin: true,
    max: 1000,
    example: '--scale 1 for the demo, --scale 100 for 1M order lines',
  });
}

async function seed(db: Knex, where: string, scale: number, reset: boolean): Promise<number> {
  if (reset) {
    await migrateRollbackAll(db, 'legacy-monolith');
    await migrateLatest(db, 'legacy-monolith');
  }
  try {
    const result = await seedDatabase(db, { scale });
    process.stdout.write(
      `seeded ${where}: ${result.rows.toLocaleString('en-US')} rows in ${result.seconds.toFixed(1)}s (${Math.round(result.rows / Math.max(result.seconds, 0.001)).toLocaleString('en-US')} rows/s)\n`,
    );
    for (const [table, count] of Object.entries(result.perTable))
      process.stdout.write(`  ${table.padEnd(22)} ${count.toLocaleString('en-US')}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof SeedError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Migrates, then seeds at `--scale` (checked before the database is opened); `reset` drops
 * every table first.
 */
function migrateAndSeed(opts: DbOptions & { scale: string }, reset: boolean): Promise<number> {
  const scale = parseScale(opts.scale);
  return withMonolithDb(opts, async (conn, where) => {
    await migrateLatest(conn, 'legacy-monolith');
    return seed(conn, where, scale, reset);
  });
}

/** `strangler db migrate|rollback|seed|reset` on the monolith's database (DATABASE_URL or data/monolith.sqlite). */
export function registerDbCommands(program: Command): void {
  const db = program
    .command('db')
    .description(
      "manage the legacy monolith's database (DATABASE_URL, default data/monolith.sqlite)",
    );
  const urlOption = [
    '--database-url <url>',
    'postgres://… or an SQLite file (default: $DATABASE_URL, else data/monolith.sqlite)',
  ] as const;

  db.command('migrate')
    .description('apply pending migrations')
    .option(...urlOption)
    .action(
      runAction(async (opts: DbOptions) =>
        withMonolithDb(opts, async (conn, where) => {
          const applied = await migrateLatest(conn, 'legacy-monolith');
          process.stdout.write(
            applied.length
              ? `migrated ${where}: ${applied.join(', ')}\n`
              : `${where} is up to date\n`,
          );
        }),
      ),
    );

  db.command('rollback')
    .description('revert every migration (drops all tables)')
    .option(...urlOption)
    .action(
      runAction(async (opts: DbOptions) =>
        withMonolithDb(opts, async (conn, where) => {
          const reverted = await migrateRollbackAll(conn, 'legacy-monolith');
          process.stdout.write(`rolled back ${where}: ${reverted.length} migrations\n`);
        }),
      ),
    );

  db.command('seed')
    .description('fill an empty database with deterministic demo data')
    .option(...urlOption)
    .option(
      '--scale <n>',
      '1 = demo (1,000 albums, ~10k order lines); 100 = 100k albums, ~1M order lines',
      '1',
    )
    .option('--reset', 'drop and re-create every table first', false)
    .action(
      runAction(async (opts: DbOptions & { scale: string; reset: boolean }) =>
        migrateAndSeed(opts, opts.reset),
      ),
    );

  db.command('reset')
    .description('drop every table, migrate again and seed')
    .option(...urlOption)
    .option('--scale <n>', 'seed scale (see `db seed --help`)', '1')
    .action(runAction(async (opts: DbOptions & { scale: string }) => migrateAndSeed(opts, true)));
}
