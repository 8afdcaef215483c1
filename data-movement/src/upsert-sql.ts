import type { TableSpec } from './table-spec';

// SECURITY: table and column names were validated as plain identifiers by the spec schema; values are bound.
/** `insert … on conflict (key) do update`: the same SQL on SQLite and PostgreSQL. */
export function upsertSql(table: TableSpec, valuesSql: string): string {
  const quote = (name: string) => `"${name}"`;
  const others = table.columns.filter((c) => c !== table.key);
  const action =
    others.length === 0
      ? 'do nothing'
      : `do update set ${others.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
  return `insert into ${quote(table.name)} (${table.columns.map(quote).join(', ')}) ${valuesSql} on conflict (${quote(table.key)}) ${action}`;
}
