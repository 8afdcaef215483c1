import fs from 'node:fs';
import { type DatabaseTarget, parseDatabaseUrl, redactUrl } from '../../../common/src/database';
import { SeamsError } from '../errors';
import type { DatabaseSchema, ForeignKey, TableSchema } from './schema-model';
import { readPostgresSchema } from './read-postgres';
import { readSqliteSchema } from './read-sqlite';

function typeFamily(type: string): string {
  const t = type.toLowerCase();
  if (/int|serial|increments/.test(t)) return 'integer';
  if (/char|text|string|clob/.test(t)) return 'text';
  if (/uuid/.test(t)) return 'uuid';
  return t;
}

function candidateTables(base: string): string[] {
  return [
    base,
    `${base}s`,
    `${base}es`,
    base.endsWith('y') ? `${base.slice(0, -1)}ies` : '',
  ].filter(Boolean);
}

/**
 * Foreign keys the database does not declare but the names imply: a column
 * `album_id` and a table `albums` whose single-column key `id` has the same type.
 * Views hold no keys of their own, so none is implied on or to a view.
 */
export function findImpliedKeys(
  tables: readonly TableSchema[],
  declared: readonly ForeignKey[],
): ForeignKey[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const implied: ForeignKey[] = [];
  for (const table of tables) {
    if (table.kind === 'view') continue;
    for (const column of table.columns) {
      const match = /^(.+)_id$/.exec(column.name);
      if (!match) continue;
      if (declared.some((k) => k.table === table.name && k.columns.includes(column.name))) continue;
      const target = candidateTables(match[1])
        .map((n) => byName.get(n))
        .find((t) => t && t.name !== table.name && t.kind !== 'view');
      if (target?.primaryKey.length !== 1 || target.primaryKey[0] !== 'id') continue;
      const key = target.columns.find((c) => c.name === 'id');
      if (!key || typeFamily(key.type) !== typeFamily(column.type)) continue;
      implied.push({
        table: table.name,
        columns: [column.name],
        refTable: target.name,
        refColumns: ['id'],
        onDelete: 'none',
        implied: true,
      });
    }
  }
  return implied;
}

/**
 * Reads the live schema behind `--db`: an SQLite file path (or sqlite:<file>)
 * or a postgres:// URL.
 *
 * @example await readSchema('postgres://postgres@127.0.0.1:5432/musiccorp')
 */
export async function readSchema(db: string): Promise<DatabaseSchema> {
  let target: DatabaseTarget;
  try {
    target = parseDatabaseUrl(db, 'seams');
  } catch (error) {
    throw new SeamsError('ERR_SEAMS_DATABASE', `--db: ${(error as Error).message}`);
  }
  if (target.engine === 'sqlite' && !fs.existsSync(target.location)) {
    throw new SeamsError(
      'ERR_SEAMS_DATABASE',
      `--db ${db}: no SQLite file at ${target.location}; give an existing file or a postgres:// URL`,
    );
  }
  try {
    const read =
      target.engine === 'sqlite'
        ? await readSqliteSchema(target.location)
        : await readPostgresSchema(target.location);
    const { declared, ...rest } = read;
    return { ...rest, foreignKeys: [...declared, ...findImpliedKeys(read.tables, declared)] };
  } catch (error) {
    if (error instanceof SeamsError) throw error;
    throw new SeamsError(
      'ERR_SEAMS_DATABASE',
      `--db ${redactUrl(db)}: cannot read the schema (${(error as Error).message}); check the URL and that the database is reachable`,
    );
  }
}
