import type { Knex } from 'knex';
import { type DatabaseTarget, openDatabase, parseDatabaseUrl } from '../../common/src/database';
import { migratorFor } from '../../common/src/migrate';
import type { DataSet, Role, Side } from './spec/load-spec';
import type { Flow } from './table-spec';

/** Two open databases, oriented: rows go from `source` to `target`. */
export interface Endpoints {
  source: Knex;
  target: Knex;
  sourceTarget: DatabaseTarget;
  targetTarget: DatabaseTarget;
  close(): Promise<void>;
}

export interface EndpointUrls {
  source?: string;
  target?: string;
}

/** A data set's two databases as the spec names them (source = the monolith's side). */
export interface OpenDataSet {
  set: DataSet;
  source: Knex;
  target: Knex;
  sourceTarget: DatabaseTarget;
  targetTarget: DatabaseTarget;
  close(): Promise<void>;
}

/** The side's environment variable, else its default: a URL, sqlite:<file>, or a bare name for data/<name>.sqlite. */
export function resolveSide(
  side: Side,
  override: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DatabaseTarget {
  const value = override || env[side.env];
  if (value) return parseDatabaseUrl(value, side.upstream);
  const fallback = side.default ?? side.upstream;
  return /^[A-Za-z0-9_-]+$/.test(fallback)
    ? parseDatabaseUrl(undefined, fallback)
    : parseDatabaseUrl(fallback, side.upstream);
}

async function migrate(db: Knex, directory: string | undefined): Promise<void> {
  if (!directory) return;
  await db.migrate.latest(migratorFor(directory));
}

/** Opens both databases of a data set and brings each side with a migrations folder up to date. Flags win over the environment. */
export async function openDataSet(set: DataSet, urls: EndpointUrls = {}): Promise<OpenDataSet> {
  const sourceTarget = resolveSide(set.source, urls.source);
  const targetTarget = resolveSide(set.target, urls.target);
  const source = openDatabase(sourceTarget, { pool: 2 });
  const target = openDatabase(targetTarget, { pool: 2 });
  try {
    await migrate(source, set.source.migrations);
    await migrate(target, set.target.migrations);
  } catch (error) {
    await Promise.all([source.destroy(), target.destroy()]);
    throw error;
  }
  return {
    set,
    source,
    target,
    sourceTarget,
    targetTarget,
    async close() {
      await Promise.all([source.destroy(), target.destroy()]);
    },
  };
}

/** Rows flow from the side `from` to the other one (the owner's side to the copy). */
export function orient(open: OpenDataSet, from: Role): { endpoints: Endpoints; flow: Flow } {
  const forward = from === 'source';
  const { set } = open;
  const endpoints: Endpoints = {
    source: forward ? open.source : open.target,
    target: forward ? open.target : open.source,
    sourceTarget: forward ? open.sourceTarget : open.targetTarget,
    targetTarget: forward ? open.targetTarget : open.sourceTarget,
    close: () => open.close(),
  };
  return { endpoints, flow: flowOf(set, from) };
}

/** The data set's tables, oriented from the side `from`. */
export function flowOf(set: DataSet, from: Role): Flow {
  const forward = from === 'source';
  const fromTables = forward ? set.source.tables : set.target.tables;
  const toTables = forward ? set.target.tables : set.source.tables;
  return { set: set.name, tables: fromTables.map((t, i) => ({ from: t, to: toTables[i] })) };
}
