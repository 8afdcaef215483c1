import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { toNumber } from '../../common/src/database';
import { generateSeedRows, planSeed } from '../seed/generate';
import { seedDatabase } from '../seed/seed-database';
import {
  describeEachEngine,
  createMigratedDatabase,
  type MigratedDatabase,
} from '../../test/support/engines';

const SCALE = 0.05;
const TABLE_KEYS: Record<string, string> = {
  countries: 'code',
  artists: 'id',
  albums: 'id',
  tracks: 'id',
  stock: 'album_id',
  customers: 'id',
  loyalty_accounts: 'id',
  welcome_emails: 'id',
  postal_welcome_packs: 'id',
  orders: 'id',
  order_lines: 'id',
  pick_instructions: 'id',
  ledger_entries: 'id',
  ledger_lines: 'id',
};

async function digestTables(db: Knex): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const [table, key] of Object.entries(TABLE_KEYS)) {
    const rows = await db(table).select('*').orderBy(key);
    const hash = createHash('sha256');
    for (const row of rows)
      hash.update(
        JSON.stringify(
          Object.keys(row)
            .sort()
            .map((k) => [k, row[k] === null ? null : String(row[k])]),
        ),
      );
    digests[table] = `${rows.length}:${hash.digest('hex').slice(0, 16)}`;
  }
  return digests;
}

function expectedCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const batch of generateSeedRows(planSeed(SCALE)))
    counts[batch.table] = (counts[batch.table] ?? 0) + batch.rows.length;
  return counts;
}

describe('seed generator', () => {
  it('when the plan is the same, then the rows are the same; when the seed differs, then the rows differ', () => {
    const collect = (seed: number) =>
      [...generateSeedRows(planSeed(SCALE, seed))].map((b) => JSON.stringify(b)).join('\n');
    expect(collect(7)).toBe(collect(7));
    expect(collect(7)).not.toBe(collect(8));
  });

  it('scales linearly: scale 100 plans 100k albums and about 1M order lines', () => {
    const plan = planSeed(100);
    expect(plan.albums).toBe(100_000);
    expect(plan.orders * 2.5).toBe(1_000_000);
  });
});

describeEachEngine('seeding the monolith database', (engine) => {
  let temp: MigratedDatabase;
  let db: Knex;
  beforeAll(async () => {
    temp = await createMigratedDatabase(engine, 'legacy-monolith', 'seed');
    db = temp.db;
    await seedDatabase(db, { scale: SCALE, progress: false });
  });
  afterAll(async () => {
    await db.destroy();
    await temp.cleanup();
  });

  it('writes every generated row', async () => {
    for (const [table, count] of Object.entries(expectedCounts())) {
      const [row] = await db(table).count({ n: '*' });
      expect([table, toNumber(row.n)]).toEqual([table, count]);
    }
  });

  it('when a second seed goes into a fresh SQLite database, then the data is byte-for-byte the same', async () => {
    const other = await createMigratedDatabase('sqlite', 'legacy-monolith', 'seed-again');
    const otherDb = other.db;
    try {
      await seedDatabase(otherDb, { scale: SCALE, progress: false });
      expect(await digestTables(db)).toEqual(await digestTables(otherDb));
    } finally {
      await otherDb.destroy();
      await other.cleanup();
    }
  });

  it('keeps the books consistent: order totals include tax and ledger lines add up to each entry', async () => {
    const badTotals = await db('orders')
      .whereRaw('total_cents <> subtotal_cents + tax_cents')
      .count({ n: '*' });
    expect(toNumber(badTotals[0].n)).toBe(0);
    const sums: Array<{ amount_cents: unknown; tax_cents: unknown; lines: unknown }> = await db(
      'ledger_entries as e',
    )
      .join('ledger_lines as l', 'l.ledger_entry_id', 'e.id')
      .groupBy('e.id', 'e.amount_cents', 'e.tax_cents')
      .select('e.id', 'e.amount_cents', 'e.tax_cents')
      .sum({ lines: 'l.amount_cents' });
    expect(sums.length).toBeGreaterThan(0);
    for (const s of sums)
      expect(toNumber(s.lines)).toBe(toNumber(s.amount_cents) - toNumber(s.tax_cents));
  });

  it('when seeding is done, then id sequences are past the seeded rows, so the app can insert', async () => {
    const [max] = await db('artists').max({ id: 'id' });
    const [inserted] = await db('artists').insert({ name: 'New Artist' }).returning('id');
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    expect(toNumber(id)).toBe(toNumber(max.id) + 1);
  });

  it('when the database already has data, then seeding is refused', async () => {
    await expect(seedDatabase(db, { scale: SCALE, progress: false })).rejects.toMatchObject({
      code: 'ERR_SEED_NOT_EMPTY',
    });
  });
});
