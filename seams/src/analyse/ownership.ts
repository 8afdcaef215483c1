import type { CodeModel } from '../model';
import type { DatabaseSchema } from '../schema/schema-model';

export type ReadClass = 'exclusive' | 'shared' | 'common';

export interface TableOwnership {
  table: string;
  /** The context that writes it most (writes weigh 3, reads 1); see `basis` for unwritten tables. */
  owner?: string;
  /** writes; foreign-keys: unwritten, but only one context's tables reference it; reads: unwritten, used by one context. */
  basis?: 'writes' | 'foreign-keys' | 'reads';
  writers: string[];
  readers: string[];
  /** Access sites per context. */
  usage: Record<string, { reads: number; writes: number }>;
  sharedWritten: boolean;
  /** exclusive: one context uses it; shared: two; common: three or more. */
  readClass: ReadClass;
  inSchema: boolean;
  /** A view (or materialized view) of the schema: read-only, never static data of its own. */
  view?: true;
}

const WRITE_WEIGHT = 3;

/** Decides who owns each table from which contexts read and write it. */
export function assignOwnership(
  model: CodeModel,
  schema: DatabaseSchema | undefined,
): TableOwnership[] {
  const usage = new Map<string, Record<string, { reads: number; writes: number }>>();
  for (const access of model.accesses) {
    if (!access.context) continue;
    const perTable = usage.get(access.table) ?? {};
    const counts = (perTable[access.context] ??= { reads: 0, writes: 0 });
    if (access.mode === 'write') counts.writes += 1;
    else counts.reads += 1;
    usage.set(access.table, perTable);
  }
  const schemaTables = new Set(schema?.tables.map((t) => t.name) ?? []);
  const views = new Set(schema?.tables.filter((t) => t.kind === 'view').map((t) => t.name));
  const names = [...new Set([...usage.keys(), ...schemaTables])].sort();
  const tables = names.map((table) => {
    const perContext = usage.get(table) ?? {};
    const entries = Object.entries(perContext);
    const writers = entries
      .filter(([, c]) => c.writes > 0)
      .map(([name]) => name)
      .sort();
    const readers = entries
      .filter(([, c]) => c.reads > 0)
      .map(([name]) => name)
      .sort();
    const weight = (name: string) =>
      perContext[name].writes * WRITE_WEIGHT + perContext[name].reads;
    const owner = [...writers].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))[0];
    const users = entries.length;
    return {
      table,
      owner,
      ...(owner ? { basis: 'writes' as const } : {}),
      writers,
      readers,
      usage: perContext,
      sharedWritten: writers.length > 1,
      readClass: users >= 3 ? 'common' : users === 2 ? 'shared' : 'exclusive',
      inSchema: schemaTables.has(table),
      ...(views.has(table) ? { view: true } : {}),
    } as TableOwnership;
  });
  return inferUnwrittenOwners(tables, schema);
}

/**
 * A table no code writes (seeded, or reference data) belongs to the one context
 * whose tables point at it with declared foreign keys, or to its only user.
 * Referenced from several contexts, it stays unowned: shared static data.
 */
function inferUnwrittenOwners(
  tables: TableOwnership[],
  schema: DatabaseSchema | undefined,
): TableOwnership[] {
  const ownerOf = new Map(tables.map((t) => [t.table, t.owner]));
  for (const table of tables) {
    if (table.owner) continue;
    const referrers = new Set(
      (schema?.foreignKeys ?? [])
        .filter((k) => !k.implied && k.refTable === table.table && k.table !== table.table)
        .map((k) => ownerOf.get(k.table)),
    );
    const users = Object.keys(table.usage);
    if (referrers.size === 1 && !referrers.has(undefined)) {
      table.owner = [...referrers][0];
      table.basis = 'foreign-keys';
    } else if (referrers.size === 0 && users.length === 1) {
      table.owner = users[0];
      table.basis = 'reads';
    }
  }
  return tables;
}
