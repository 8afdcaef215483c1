import type { Knex } from 'knex';

/** Lives in the TARGET database, so a checkpoint commits in the same transaction as the rows it vouches for. */
export const CHECKPOINT_TABLE = 'strangler_data_checkpoints';

export interface Checkpoint {
  service: string;
  name: string;
  position: string | null;
  done: boolean;
}

export async function ensureCheckpointTable(target: Knex): Promise<void> {
  if (await target.schema.hasTable(CHECKPOINT_TABLE)) return;
  await target.schema.createTable(CHECKPOINT_TABLE, (t) => {
    t.string('service', 50).notNullable();
    t.string('name', 100).notNullable();
    t.text('position').nullable();
    t.integer('done').notNullable().defaultTo(0);
    t.string('updated_at', 30).notNullable();
    t.primary(['service', 'name']);
  });
}

export async function readCheckpoint(
  target: Knex,
  service: string,
  name: string,
): Promise<Checkpoint | undefined> {
  const row = await target(CHECKPOINT_TABLE).where({ service, name }).first();
  if (!row) return undefined;
  return { service, name, position: row.position ?? null, done: Number(row.done) === 1 };
}

export async function clearCheckpoints(
  target: Knex,
  service: string,
  prefix: string,
): Promise<void> {
  await target(CHECKPOINT_TABLE).where({ service }).andWhere('name', 'like', `${prefix}%`).del();
}

/** Same SQL on SQLite and PostgreSQL; run inside the caller's transaction. */
export const UPSERT_CHECKPOINT_SQL =
  `insert into ${CHECKPOINT_TABLE} (service, name, position, done, updated_at) values (?, ?, ?, ?, ?) ` +
  'on conflict (service, name) do update set position = excluded.position, done = excluded.done, updated_at = excluded.updated_at';

export function checkpointBindings(checkpoint: Checkpoint): unknown[] {
  return [
    checkpoint.service,
    checkpoint.name,
    checkpoint.position,
    checkpoint.done ? 1 : 0,
    new Date().toISOString(),
  ];
}

export async function writeCheckpoint(db: Knex, checkpoint: Checkpoint): Promise<void> {
  await db.raw(UPSERT_CHECKPOINT_SQL, checkpointBindings(checkpoint) as Knex.RawBinding[]);
}
