import path from 'node:path';
import type { Knex } from 'knex';
import { openDatabase, parseDatabaseUrl } from '../../common/src/database';
import { MIGRATIONS_ROOT, migratorFor } from '../../common/src/migrate';
import { seedDatabase } from '../../legacy-monolith/seed/seed-database';
import { type CheckContext, defineCheck, fail, pass } from '../runner/check-kit';
import {
  analyseMonolith,
  listSome,
  runBeforeSuite,
  seededMonolithDatabase,
  startScratchMonolith,
} from '../runner/check-tools';

const MIGRATOR = migratorFor(path.join(MIGRATIONS_ROOT, 'legacy-monolith'));

const fileOf = (url: string) => url.replace(/^sqlite:/, '');

async function withDatabase<T>(ctx: CheckContext, label: string, work: (db: Knex) => Promise<T>) {
  const file = path.join(ctx.tempDir(label), 'monolith.sqlite');
  const db = openDatabase(parseDatabaseUrl(`sqlite:${file}`, 'monolith'));
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

async function hasCustomerKey(db: Knex): Promise<boolean> {
  const keys = (await db.raw('PRAGMA foreign_key_list(orders)')) as Array<{ table: string }>;
  return keys.some((k) => k.table === 'customers');
}

async function pending(db: Knex): Promise<string[]> {
  const [, waiting] = (await db.migrate.list(MIGRATOR)) as [unknown, Array<{ file: string }>];
  return waiting.map((m) => m.file);
}

/** The migration after which orders no longer has the key (run one at a time on an empty database). */
function keyMigration(ctx: CheckContext): Promise<string | null> {
  return ctx.once('key-migration', () =>
    withDatabase(ctx, 'step-through', async (db) => {
      for (const next of await pending(db)) {
        await db.migrate.up(MIGRATOR);
        const tables = (await db.raw(
          "select name from sqlite_master where name = 'orders'",
        )) as unknown[];
        if (tables.length > 0 && !(await hasCustomerKey(db))) return next;
      }
      return null;
    }),
  );
}

export default defineCheck({
  criteria: [
    {
      title: 'a freshly migrated database has no foreign key from orders.customer_id to customers',
      async verify(ctx) {
        const databaseUrl = await seededMonolithDatabase(ctx);
        ctx.progress('reading the schema with strangler seams --db');
        const report = await analyseMonolith(ctx, { db: fileOf(databaseUrl) });
        const key = report.foreignKeys.find(
          (k) => k.table === 'orders' && k.refTable === 'customers' && !k.implied,
        );
        if (!key) return pass();
        return fail(
          `the schema still declares orders.${key.columns.join(',')} → customers.${key.refColumns.join(',')} (ON DELETE ${key.onDelete})`,
          'add a migration to migrations/legacy-monolith/ that drops it (SQLite cannot drop a constraint: see how migrations/legacy-monolith-catalog-split/ rebuilds a table)',
        );
      },
    },
    {
      title:
        'the migration keeps every order: on a seeded database its rows, ids, indexes and the keys pointing at orders survive',
      async verify(ctx) {
        const migration = await keyMigration(ctx);
        if (!migration)
          return fail(
            'no migration of migrations/legacy-monolith removes the key',
            'the first criterion says what is missing',
          );
        return withDatabase(ctx, 'with-data', async (db) => {
          ctx.progress(`migrating up to ${migration}, seeding, then running it`);
          while ((await pending(db))[0] !== migration) await db.migrate.up(MIGRATOR);
          await seedDatabase(db, { scale: 0.01, progress: false });
          const snapshot = async () => ({
            orders: JSON.stringify(await db('orders').select().orderBy('id')),
            indexes: ((await db.raw('PRAGMA index_list(orders)')) as Array<{ name: string }>)
              .map((i) => i.name)
              .sort()
              .join(', '),
            lines: Number((await db('order_lines').count({ n: '*' }).first())?.n),
          });
          const before = await snapshot();
          await db.migrate.latest(MIGRATOR);
          const after = await snapshot();
          const problems: string[] = [];
          if (after.orders !== before.orders) problems.push('the orders rows changed');
          if (after.indexes !== before.indexes)
            problems.push(
              `indexes on orders were ${before.indexes}, now ${after.indexes || 'none'}`,
            );
          if (after.lines !== before.lines) problems.push('order_lines lost rows');
          const lineKeys = (await db.raw('PRAGMA foreign_key_list(order_lines)')) as Array<{
            table: string;
          }>;
          if (!lineKeys.some((k) => k.table === 'orders'))
            problems.push('order_lines.order_id no longer points at orders');
          const broken = (await db.raw('PRAGMA foreign_key_check')) as unknown[];
          if (broken.length) problems.push(`${broken.length} rows break a foreign key`);
          const enforced = (await db.raw('PRAGMA foreign_keys')) as Array<{ foreign_keys: number }>;
          if (enforced[0]?.foreign_keys !== 1) problems.push('foreign keys were left switched off');
          if (problems.length === 0)
            return pass(`${migration}: ${JSON.parse(after.orders).length} orders kept`);
          return fail(
            `${migration}: ${problems.join('; ')}`,
            'rebuild the table as the catalog split does: copy every row, recreate its indexes and triggers, and switch foreign keys off only around the rebuild',
          );
        });
      },
    },
    {
      title:
        'an order for a customer that does not exist is still refused (400, field customerId), now by code',
      async verify(ctx) {
        const databaseUrl = await seededMonolithDatabase(ctx);
        const monolith = await startScratchMonolith(ctx, databaseUrl);
        const count = async () => {
          const db = openDatabase(parseDatabaseUrl(databaseUrl, 'monolith'));
          try {
            return Number((await db('orders').count({ n: '*' }).first())?.n);
          } finally {
            await db.destroy();
          }
        };
        const before = await count();
        const answer = await fetch(`${monolith.url}/warehouse/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ customerId: 987654, lines: [{ albumId: 1, quantity: 1 }] }),
        });
        const body = (await answer.json()) as { error?: { field?: string } };
        const after = await count();
        if (answer.status === 400 && body.error?.field === 'customerId' && after === before)
          return pass();
        return fail(
          `POST /warehouse/orders for customer 987654 answered ${answer.status} ${JSON.stringify(body).slice(0, 200)}; orders ${before} → ${after}`,
          'without the key, the code is the only guard: WarehouseService must ask customer for the buyer before writing anything',
        );
      },
    },
    {
      title: 'orders answer as before (the before suite is green)',
      async verify(ctx) {
        const suite = await runBeforeSuite(ctx);
        if (suite.ok) return pass(suite.summary);
        return fail(
          `${suite.summary}; failing: ${listSome(suite.failed)}`,
          'npx jest --selectProjects before shows each difference',
        );
      },
    },
  ],
});
