import type { Command } from 'commander';
import type { Knex } from 'knex';
import { EXIT, runAction, UsageError } from '../../common/src/cli';
import { readNumber } from '../../common/src/cli-options';
import { engineOf, openDatabase, parseDatabaseUrl, redactUrl } from '../../common/src/database';
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

/** The database's tables (not knex's own bookkeeping) that hold rows, with their counts, most first. */
async function tablesHoldingRows(db: Knex): Promise<Array<{ table: string; rows: number }>> {
  const names: string[] =
    engineOf(db) === 'postgres'
      ? (
          await db('information_schema.tables')
            .where({ table_schema: db.raw('current_schema()'), table_type: 'BASE TABLE' })
            .select('table_name as name')
        ).map((row: { name: string }) => row.name)
      : (
          await db('sqlite_master')
            .where({ type: 'table' })
            .whereNot('name', 'like', 'sqlite_%')
            .select('name')
        ).map((row: { name: string }) => row.name);
  const held: Array<{ table: string; rows: number }> = [];
  for (const table of names.filter((name) => !name.startsWith('knex_migrations'))) {
    const counted = await db(table).count({ n: '*' }).first();
    const rows = Number(counted?.n ?? 0);
    if (rows > 0) held.push({ table, rows });
  }
  return held.sort((a, b) => b.rows - a.rows);
}

/**
 * Refuses a command that drops every table while any of them holds a row, unless the caller
 * confirmed with --yes: the rows would be gone for good. An empty database needs no confirmation.
 */
async function confirmDrop(db: Knex, where: string, command: string, yes: boolean): Promise<void> {
  if (yes) return;
  const held = await tablesHoldingRows(db);
  if (held.length === 0) return;
  const total = held.reduce((sum, t) => sum + t.rows, 0);
  const largest = held
    .slice(0, 3)
    .map((t) => `${t.table} ${t.rows.toLocaleString('en-US')}`)
    .join(', ');
  throw new UsageError(
    `\`strangler ${command}\` drops every table of ${where}, and ${held.length} of them hold ${total.toLocaleString('en-US')} rows (${largest}${held.length > 3 ? ', …' : ''}); nothing was changed. To drop them, run it again with --yes (copy the database first if you may need those rows).`,
  );
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
 * every table first (confirmed with --yes when they hold rows).
 */
function migrateAndSeed(
  opts: DbOptions & { scale: string; yes?: boolean },
  reset: boolean,
  command: string,
): Promise<number> {
  const scale = parseScale(opts.scale);
  return withMonolithDb(opts, async (conn, where) => {
    if (reset) await confirmDrop(conn, where, command, opts.yes === true);
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

  const yesOption = ['--yes', 'confirm dropping tables that hold rows', false] as const;

  db.command('rollback')
    .description('revert every migration (drops all tables; asks for --yes when they hold rows)')
    .option(...urlOption)
    .option(...yesOption)
    .action(
      runAction(async (opts: DbOptions & { yes: boolean }) =>
        withMonolithDb(opts, async (conn, where) => {
          await confirmDrop(conn, where, 'db rollback', opts.yes);
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
    .option(
      '--reset',
      'drop and re-create every table first (with --yes when they hold rows)',
      false,
    )
    .option(...yesOption)
    .action(
      runAction(async (opts: DbOptions & { scale: string; reset: boolean; yes: boolean }) =>
        migrateAndSeed(opts, opts.reset, 'db seed --reset'),
      ),
    );

  db.command('reset')
    .description('drop every table, migrate again and seed (asks for --yes when they hold rows)')
    .option(...urlOption)
    .option('--scale <n>', 'seed scale (see `db seed --help`)', '1')
    .option(...yesOption)
    .action(
      runAction(async (opts: DbOptions & { scale: string; yes: boolean }) =>
        migrateAndSeed(opts, true, 'db reset'),
      ),
    );
}
