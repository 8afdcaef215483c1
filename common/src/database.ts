import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { projectPath } from './project-root';

export type Engine = 'sqlite' | 'postgres';

export interface DatabaseTarget {
  engine: Engine;
  /** SQLite file path, or PostgreSQL connection URL. */
  location: string;
}

/** Where the repository keeps its embedded SQLite files (gitignored); STRANGLER_DATA_DIR moves it (tests do). */
export const DATA_DIR = path.resolve(process.env.STRANGLER_DATA_DIR || projectPath('data'));

/**
 * Turns a DATABASE_URL-style string into a target: `postgres://…` → PostgreSQL,
 * `sqlite:path`, a path ending in .sqlite/.db, or nothing → an SQLite file.
 *
 * @example parseDatabaseUrl(undefined, 'monolith') // → data/monolith.sqlite
 */
export function parseDatabaseUrl(url: string | undefined, defaultName: string): DatabaseTarget {
  if (!url || url.trim() === '') {
    return { engine: 'sqlite', location: path.join(DATA_DIR, `${defaultName}.sqlite`) };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return { engine: 'postgres', location: url };
  if (url.startsWith('sqlite:'))
    return { engine: 'sqlite', location: path.resolve(url.slice('sqlite:'.length)) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new Error(
      `database URL "${redactUrl(url)}" uses an unsupported scheme: use postgres://user@host:port/db, sqlite:<file>, or leave it unset for data/${defaultName}.sqlite`,
    );
  }
  return { engine: 'sqlite', location: path.resolve(url) };
}

/** Hides a password in a connection URL before it is logged or printed. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** Opens knex on a target. SQLite gets foreign keys on and WAL; PostgreSQL a small pool. */
export function openDatabase(target: DatabaseTarget, options: { pool?: number } = {}): Knex {
  if (target.engine === 'postgres') {
    return knex({
      client: 'pg',
      connection: target.location,
      pool: { min: 0, max: options.pool ?? 10 },
    });
  }
  fs.mkdirSync(path.dirname(target.location), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: target.location },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (
        conn: { pragma: (sql: string) => unknown },
        done: (err: Error | null, conn: unknown) => void,
      ) => {
        conn.pragma('foreign_keys = ON');
        conn.pragma('journal_mode = WAL');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
  });
}

export function engineOf(db: Knex): Engine {
  const client = String(db.client.config.client);
  return client === 'pg' || client === 'postgres' || client === 'postgresql'
    ? 'postgres'
    : 'sqlite';
}

/** Counts come back as strings from PostgreSQL and numbers from SQLite. */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}
