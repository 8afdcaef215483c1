// Throwaway databases for tests, benchmarks and checks: a temporary SQLite file or a fresh
// PostgreSQL database on the server PG_ADMIN_URL names, removed afterwards.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { Client } from 'pg';
import { UsageError } from './cli';
import { type DatabaseTarget, type Engine, openDatabase } from './database';

/** The server throwaway PostgreSQL databases are created on. Override with PG_ADMIN_URL. */
export const PG_ADMIN_URL =
  process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function probePostgres(url = PG_ADMIN_URL): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function urlForDatabase(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TemporaryPostgres {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates a fresh, empty database; `drop()` removes it (closing stray connections first). */
export async function createTemporaryPostgres(prefix = 'sk_test'): Promise<TemporaryPostgres> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    // Identifiers cannot be bound as parameters; the name is generated above from [a-z0-9_] only.
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: urlForDatabase(name),
    name,
    async drop() {
      const client = new Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [name],
        );
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TemporaryDatabase {
  engine: Engine;
  target: DatabaseTarget;
  /** A connection string for child processes: a postgres URL or `sqlite:<file>`. */
  url: string;
  open(): Knex;
  cleanup(): Promise<void>;
}

export async function createTemporaryDatabase(
  engine: Engine,
  label = 'test',
): Promise<TemporaryDatabase> {
  if (engine === 'postgres') {
    const pg = await createTemporaryPostgres();
    const target: DatabaseTarget = { engine, location: pg.url };
    return {
      engine,
      target,
      url: pg.url,
      open: () => openDatabase(target),
      cleanup: () => pg.drop(),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `strangler-${label}-`));
  const file = path.join(dir, `${label}.sqlite`);
  const target: DatabaseTarget = { engine, location: file };
  return {
    engine,
    target,
    url: `sqlite:${file}`,
    open: () => openDatabase(target),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Runs `work` once per engine named in `list` ("sqlite,postgres"); PostgreSQL is skipped,
 * with the reason printed, when PG_ADMIN_URL does not answer. For benchmarks.
 */
export async function forEachReachableEngine(
  list: string,
  work: (engine: Engine) => Promise<void>,
): Promise<void> {
  for (const name of list.split(',').map((e) => e.trim())) {
    if (name !== 'sqlite' && name !== 'postgres')
      throw new UsageError(`--engines: "${name}" is not an engine; use sqlite, postgres or both`);
    if (name === 'postgres') {
      const failure = await probePostgres();
      if (failure) {
        process.stdout.write(`[postgres] skipped: ${failure} (set PG_ADMIN_URL)\n`);
        continue;
      }
    }
    await work(name);
  }
}
