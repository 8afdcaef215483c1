import type { Knex } from 'knex';

// Split step "move the foreign key into code" (Building Microservices, ch. 4): once albums live in
// the catalog service, an order line, a stock row or a ledger line may name an album the monolith's
// `albums` table has never seen, so these three foreign keys must go; the code checks album ids
// through the catalog port instead. `down` puts them back (and refuses while rows point at unknown albums).
// On PostgreSQL the constraint is dropped; SQLite cannot drop one, so the table is rebuilt
// (create new, copy, drop, rename) with its indexes and triggers (change capture) recreated.

const REFERENCES = [
  { table: 'order_lines', onDelete: 'RESTRICT' },
  { table: 'stock', onDelete: 'CASCADE' },
  { table: 'ledger_lines', onDelete: 'RESTRICT' },
] as const;

const ALBUM_FOREIGN_KEY =
  /,\s*(constraint\s+\S+\s+)?foreign key\s*\(\s*[`"]?album_id[`"]?\s*\)\s*references\s+[`"]?albums[`"]?\s*\(\s*[`"]?id[`"]?\s*\)(\s+on\s+(delete|update)\s+(cascade|restrict|set null|set default|no action))*/i;

const isSqlite = (knex: Knex) =>
  !['pg', 'postgres', 'postgresql'].includes(String(knex.client.config.client));

async function rebuildSqliteTable(
  knex: Knex,
  table: string,
  rewrite: (createSql: string) => string,
): Promise<void> {
  const created = await knex('sqlite_master').where({ type: 'table', name: table }).first('sql');
  const dependents: { sql: string }[] = await knex('sqlite_master')
    .whereIn('type', ['index', 'trigger'])
    .andWhere({ tbl_name: table })
    .whereNotNull('sql')
    .select('sql');
  const temporary = `${table}__catalog_split`;
  const createSql = rewrite(created.sql).replace(
    /^create table\s+([`"]?)[\w]+\1/i,
    `CREATE TABLE \`${temporary}\``,
  );
  await knex.raw(createSql);
  await knex.raw('insert into ?? select * from ??', [temporary, table]);
  await knex.schema.dropTable(table);
  await knex.raw('alter table ?? rename to ??', [temporary, table]);
  for (const { sql } of dependents) await knex.raw(sql);
}

export async function up(knex: Knex): Promise<void> {
  for (const { table } of REFERENCES) {
    if (isSqlite(knex)) {
      await rebuildSqliteTable(knex, table, (sql) => {
        if (!ALBUM_FOREIGN_KEY.test(sql))
          throw new Error(
            `${table}: no foreign key album_id → albums.id to remove (already split?)`,
          );
        return sql.replace(ALBUM_FOREIGN_KEY, '');
      });
      continue;
    }
    const { rows } = await knex.raw(
      `select conname from pg_constraint where contype = 'f' and conrelid = ?::regclass and confrelid = 'albums'::regclass`,
      [table],
    );
    if (rows.length === 0)
      throw new Error(`${table}: no foreign key album_id → albums.id to remove (already split?)`);
    for (const { conname } of rows)
      await knex.raw('alter table ?? drop constraint ??', [table, conname]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const { table } of REFERENCES) {
    const orphans = await knex(table)
      .whereNotIn('album_id', knex('albums').select('id'))
      .count({ n: '*' })
      .first();
    if (Number(orphans?.n) > 0) {
      throw new Error(
        `${table}: ${orphans?.n} row(s) name albums that are not in the monolith's albums table (created in the catalog service?); ` +
          'backfill those albums into the monolith (or delete the rows) before restoring the foreign key',
      );
    }
  }
  for (const { table, onDelete } of REFERENCES) {
    if (isSqlite(knex)) {
      await rebuildSqliteTable(knex, table, (sql) =>
        sql.replace(
          /\)\s*$/,
          `, foreign key(\`album_id\`) references \`albums\`(\`id\`) on delete ${onDelete})`,
        ),
      );
      continue;
    }
    await knex.raw(
      `alter table ?? add constraint ?? foreign key (album_id) references albums (id) on delete ${onDelete}`,
      [table, `${table}_album_id_foreign`],
    );
  }
}
