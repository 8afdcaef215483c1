import type { Knex } from 'knex';
import { APPLYING_SETTING, CHANGE_TABLE } from './change-capture';
import { checkpointBindings, UPSERT_CHECKPOINT_SQL } from './checkpoints';
import { crashPoint } from './failpoints';
import type { TableSpec } from './table-spec';
import { upsertSql } from './upsert-sql';
import { ConflictError, keysOfStep, type TargetWrite, type WriteStep } from './write-step';

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
      `target table ${table.name} lacks columns ${missing.join(', ')}: run the target's migrations or fix the columns in the spec`,
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

async function findTargetWrites(
  trx: Knex.Transaction,
  step: WriteStep,
  afterId: string,
): Promise<TargetWrite[]> {
  // Writers append to the change table in their own transaction: this lock waits for the ones
  // running and holds new ones back until commit, so none slips between the check and the writes.
  await trx.raw(`lock table ${CHANGE_TABLE} in share row exclusive mode`);
  const found: TargetWrite[] = [];
  for (const [table, keys] of keysOfStep(step)) {
    const rows: { id: string; row_key: string }[] = await trx(CHANGE_TABLE)
      .select('id', 'row_key')
      .where('table_name', table.name)
      .andWhere('id', '>', afterId)
      .whereIn('row_key', keys)
      .orderBy('id');
    for (const row of rows)
      found.push({ table: table.name, key: row.row_key, changeId: String(row.id) });
  }
  return found;
}

export async function writeStepPostgres(target: Knex, step: WriteStep): Promise<void> {
  const types = await Promise.all(step.upserts.map(({ table }) => typesOf(target, table)));
  await target.transaction(async (trx) => {
    if (step.guardAfterId !== undefined) {
      const found = await findTargetWrites(trx, step, step.guardAfterId);
      if (found.length > 0) throw new ConflictError(found);
    }
    await trx.raw('select set_config(?, ?, true)', [APPLYING_SETTING, 'on']);
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
