import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Flow } from '../src/table-spec';

interface SqliteConnection {
  exec(sql: string): void;
}

// SECURITY: identifiers were validated by the spec schema; the attached file path is quoted as a literal.
const list = (columns: string[]) => columns.map((c) => `"${c}"`).join(', ');

/** The raw SQLite baseline: ATTACH the monolith file and INSERT … SELECT each table in one transaction. */
export async function copySqliteRaw(target: Knex, sourceFile: string, spec: Flow): Promise<void> {
  const conn = (await target.client.acquireConnection()) as SqliteConnection;
  try {
    conn.exec(`attach database '${sourceFile.replace(/'/g, "''")}' as src`);
    conn.exec('begin');
    for (const { from, to } of spec.tables)
      conn.exec(
        `insert into main."${to.name}" (${list(to.columns)}) select ${list(from.columns)} from src."${from.name}"`,
      );
    conn.exec('commit');
    conn.exec('detach database src');
  } finally {
    await target.client.releaseConnection(conn);
  }
}

/**
 * The raw PostgreSQL baseline: COPY each table out of the monolith database and
 * into the service database (server-side files, so it needs a local superuser,
 * as the bench's throwaway databases have).
 */
export async function copyPostgresRaw(source: Knex, target: Knex, spec: Flow): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-bench-copy-'));
  fs.chmodSync(dir, 0o777);
  try {
    for (const { from, to } of spec.tables) {
      const file = path.join(dir, `${from.name}.copy`);
      await source.raw(`copy (select ${list(from.columns)} from "${from.name}") to '${file}'`);
      await target.raw(`copy "${to.name}" (${list(to.columns)}) from '${file}'`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
