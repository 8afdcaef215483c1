import type { Knex } from 'knex';
import { checkpointBindings, UPSERT_CHECKPOINT_SQL } from './checkpoints';
import { crashPoint } from './failpoints';
import type { TableSpec } from './service-tables';
import type { WriteStep } from './write-step';
import { upsertSql } from './upsert-sql';

const columnTypes = new WeakMap<Knex, Map<string, Map<string, string>>>();

/** The target's column types, for casting the unnest() arrays. */
async function typesOf(db: Knex, table: TableSpec): Promise<Map<string, string>> {
  let perTable = columnTypes.get(db);
  if (!perTable) columnTypes.set(db, (perTable = new Map()));
  const known = perTable.get(table.name);
  if (known) return known;
  const result = await db.raw(
    'select column_name, udt_name from information_schema.columns where table_schema = current_schema() and table_name = ?',
    [table.name],
  );
  const types = new Map<string, string>(
    result.rows.map((r: { column_name: string; udt_name: string }) => [r.column_name, r.udt_name]),
  );
  const missing = table.columns.filter((c) => !types.has(c));
  if (missing.length > 0)
    throw new Error(
      `target table ${table.name} lacks columns ${missing.join(', ')}: run the service's migrations`,
    );
  perTable.set(table.name, types);
  return types;
}

// Why unnest: one statement per batch with one array parameter per column, instead of rows × columns bindings.
async function upsertRows(
  trx: Knex.Transaction,
  table: TableSpec,
  rows: unknown[][],
  types: Map<string, string>,
) {
  if (rows.length === 0) return;
  const arrays = table.columns.map((_, i) =>
    rows.map((row) => (row[i] === undefined ? null : row[i])),
  );
  const casts = table.columns.map((c) => `?::${types.get(c)}[]`).join(', ');
  await trx.raw(upsertSql(table, `select * from unnest(${casts})`), arrays as Knex.RawBinding[]);
}

export async function writeStepPostgres(target: Knex, step: WriteStep): Promise<void> {
  const types = await Promise.all(step.upserts.map(({ table }) => typesOf(target, table)));
  await target.transaction(async (trx) => {
    for (const [index, { table, rows }] of step.upserts.entries())
      await upsertRows(trx, table, rows, types[index]);
    for (const { table, keys } of step.deletes) {
      for (let i = 0; i < keys.length; i += 1000)
        await trx(table.name)
          .whereIn(table.key, keys.slice(i, i + 1000))
          .del();
    }
    await trx.raw(UPSERT_CHECKPOINT_SQL, checkpointBindings(step.checkpoint) as Knex.RawBinding[]);
    crashPoint(`${step.phase}:before-commit`);
  });
  crashPoint(`${step.phase}:after-commit`);
}
