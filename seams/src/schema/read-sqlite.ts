import knex from 'knex';
import {
  IGNORED_TABLES,
  type DatabaseSchema,
  type ForeignKey,
  type TableSchema,
} from './schema-model';

interface ColumnRow {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}
interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_delete: string;
}
interface IndexRow {
  name: string;
  unique: number;
  origin: string;
}

/** Reads tables, columns, keys and indexes through SQLite's pragma functions, read-only. */
export async function readSqliteSchema(
  file: string,
): Promise<Omit<DatabaseSchema, 'foreignKeys'> & { declared: ForeignKey[] }> {
  const db = knex({
    client: 'better-sqlite3',
    connection: { filename: file, options: { readonly: true } },
    useNullAsDefault: true,
  });
  const all = async <T>(sql: string, bindings: string[] = []) =>
    (await db.raw(sql, bindings)) as T[];
  try {
    const relations = (
      await all<{ name: string; type: 'table' | 'view' }>(
        "select name, type from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' order by name",
      )
    ).filter((row) => !IGNORED_TABLES.has(row.name));
    const tables: TableSchema[] = [];
    const declared: ForeignKey[] = [];
    for (const { name, type } of relations) {
      const columns = await all<ColumnRow>(
        'select name, type, "notnull", pk from pragma_table_info(?) order by cid',
        [name],
      );
      const primaryKey = columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const indexes = [];
      for (const index of await all<IndexRow>(
        'select name, "unique", origin from pragma_index_list(?)',
        [name],
      )) {
        const columns = await all<{ name: string }>(
          'select name from pragma_index_info(?) order by seqno',
          [index.name],
        );
        indexes.push({
          name: index.name,
          unique: index.unique === 1,
          columns: columns.map((c) => c.name),
        });
      }
      tables.push({
        name,
        kind: type,
        columns: columns.map((c) => ({
          name: c.name,
          type: c.type.toLowerCase(),
          nullable: c.notnull === 0,
        })),
        primaryKey,
        indexes,
      });
      const keys = new Map<number, ForeignKey>();
      for (const row of await all<ForeignKeyRow>(
        'select id, seq, "table", "from", "to", on_delete from pragma_foreign_key_list(?) order by id, seq',
        [name],
      )) {
        const key = keys.get(row.id) ?? {
          table: name,
          columns: [],
          refTable: row.table,
          refColumns: [],
          onDelete: row.on_delete,
          implied: false,
        };
        key.columns.push(row.from);
        if (row.to) key.refColumns.push(row.to);
        keys.set(row.id, key);
      }
      declared.push(...keys.values());
    }
    // `REFERENCES albums` without a column means the referenced table's primary key.
    for (const key of declared) {
      if (key.refColumns.length === 0)
        key.refColumns = tables.find((t) => t.name === key.refTable)?.primaryKey ?? [];
    }
    return { engine: 'sqlite', source: file, tables, declared };
  } finally {
    await db.destroy();
  }
}
