import { Client } from 'pg';
import { redactUrl } from '../../../common/src/database';
import {
  IGNORED_TABLES,
  type DatabaseSchema,
  type ForeignKey,
  type TableSchema,
} from './schema-model';

const ON_DELETE: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

const COLUMNS = `select table_name, column_name, data_type, is_nullable from information_schema.columns
  where table_schema = current_schema() order by table_name, ordinal_position`;
const PRIMARY_KEYS = `select cl.relname as table_name, a.attname::text as column_name
  from pg_index i join pg_class cl on cl.oid = i.indrelid join pg_namespace n on n.oid = cl.relnamespace
  cross join lateral unnest(i.indkey) with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = cl.oid and a.attnum = k.attnum
  where i.indisprimary and n.nspname = current_schema() order by cl.relname, k.ord`;
const FOREIGN_KEYS = `select cl.relname as table_name, fcl.relname as ref_table, c.confdeltype as on_delete,
  (select array_agg(a.attname::text order by k.ord) from unnest(c.conkey) with ordinality k(attnum, ord)
     join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as columns,
  (select array_agg(a.attname::text order by k.ord) from unnest(c.confkey) with ordinality k(attnum, ord)
     join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum) as ref_columns
  from pg_constraint c join pg_class cl on cl.oid = c.conrelid join pg_class fcl on fcl.oid = c.confrelid
  join pg_namespace n on n.oid = cl.relnamespace where c.contype = 'f' and n.nspname = current_schema() order by cl.relname, c.conname`;
const INDEXES = `select cl.relname as table_name, ic.relname as index_name, i.indisunique as is_unique,
  (select array_agg(a.attname::text order by k.ord) from unnest(i.indkey) with ordinality k(attnum, ord)
     join pg_attribute a on a.attrelid = cl.oid and a.attnum = k.attnum) as columns
  from pg_index i join pg_class cl on cl.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
  join pg_namespace n on n.oid = cl.relnamespace where n.nspname = current_schema() order by cl.relname, ic.relname`;

const VIEWS = `select c.relname as name, c.relkind as kind from pg_class c
  join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind in ('v', 'm')`;
// Materialized views are not in information_schema.columns.
const MATERIALIZED_COLUMNS = `select c.relname as table_name, a.attname::text as column_name,
  format_type(a.atttypid, a.atttypmod) as data_type, not a.attnotnull as nullable
  from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = current_schema() and c.relkind = 'm' and a.attnum > 0 and not a.attisdropped
  order by c.relname, a.attnum`;

/** Reads the current schema of a PostgreSQL database from its catalogs. */
export async function readPostgresSchema(
  url: string,
): Promise<Omit<DatabaseSchema, 'foreignKeys'> & { declared: ForeignKey[] }> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const byName = new Map<string, TableSchema>();
    const table = (name: string) => {
      let found = byName.get(name);
      if (!found)
        byName.set(
          name,
          (found = { name, kind: 'table', columns: [], primaryKey: [], indexes: [] }),
        );
      return found;
    };
    for (const row of (await client.query(COLUMNS)).rows) {
      if (IGNORED_TABLES.has(row.table_name)) continue;
      table(row.table_name).columns.push({
        name: row.column_name,
        type: String(row.data_type).toLowerCase(),
        nullable: row.is_nullable === 'YES',
      });
    }
    for (const row of (await client.query(MATERIALIZED_COLUMNS)).rows)
      table(row.table_name).columns.push({
        name: row.column_name,
        type: String(row.data_type).toLowerCase(),
        nullable: row.nullable,
      });
    for (const row of (await client.query(VIEWS)).rows)
      if (byName.has(row.name)) table(row.name).kind = 'view';
    for (const row of (await client.query(PRIMARY_KEYS)).rows)
      if (byName.has(row.table_name)) table(row.table_name).primaryKey.push(row.column_name);
    for (const row of (await client.query(INDEXES)).rows) {
      if (byName.has(row.table_name))
        table(row.table_name).indexes.push({
          name: row.index_name,
          unique: row.is_unique,
          columns: row.columns ?? [],
        });
    }
    const declared: ForeignKey[] = (await client.query(FOREIGN_KEYS)).rows
      .filter((row) => byName.has(row.table_name))
      .map((row) => ({
        table: row.table_name,
        columns: row.columns,
        refTable: row.ref_table,
        refColumns: row.ref_columns,
        onDelete: ON_DELETE[row.on_delete] ?? row.on_delete,
        implied: false,
      }));
    const tables = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    return { engine: 'postgres', source: redactUrl(url), tables, declared };
  } finally {
    await client.end();
  }
}
