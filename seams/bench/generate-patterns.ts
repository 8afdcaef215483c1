// The table-access patterns real backends use, one file each per context, with
// the accesses a correct analysis must report (and names it must not report).

/** One access the analysis must find: which function of which file reads or writes which table. */
export interface ExpectedAccess {
  context: string;
  file: string;
  symbol: string;
  table: string;
  mode: 'read' | 'write';
}

export interface PatternFile {
  /** Relative to the generated root's src/ (the analysed root), like the report's paths. */
  path: string;
  text: string;
  expected: ExpectedAccess[];
}

/** Files shared by every context: the base repository, and a workspace package outside src/. */
export function sharedPatternFiles(): PatternFile[] {
  return [
    {
      path: 'shared/base-repository.ts',
      text: `import type { Knex } from 'knex';

export abstract class BaseRepository<T> {
  constructor(
    protected readonly tableName: string,
    protected readonly store: Knex,
  ) {}

  find(id: number): Promise<T | undefined> {
    return this.store(this.tableName).where({ id }).first();
  }

  save(row: Partial<T>) {
    return this.store(this.tableName).insert(row);
  }
}
`,
      expected: [],
    },
    {
      path: 'shared/unit-of-work.ts',
      text: `import type { Knex } from 'knex';

export async function withTransaction<T>(
  store: Knex,
  work: (tx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  return store.transaction(async (tx) => work(tx));
}
`,
      expected: [],
    },
  ];
}

/** The workspace package next to src/ (outside --root) holding some table constants. */
export function outsidePackageFiles(contexts: string[]): Array<{ path: string; text: string }> {
  return [
    {
      path: 'packages/db/src/tables.ts',
      text: `${contexts.map((ctx) => `export const ${ctx.toUpperCase()}_LEDGER = '${ctx}_ledger';`).join('\n')}\n`,
    },
    { path: 'packages/db/src/index.ts', text: "export * from './tables';\n" },
  ];
}

/** Every pattern of issue 16, written for one context; `other` is another context's table. */
export function patternFiles(ctx: string, other: string): PatternFile[] {
  const at = (name: string) => `${ctx}/${name}`;
  const access = (
    file: string,
    symbol: string,
    table: string,
    mode: 'read' | 'write',
    context = ctx,
  ): ExpectedAccess => ({ context, file, symbol, table, mode });
  const files: PatternFile[] = [];

  const ranking = at('ranking-query.ts');
  files.push({
    path: ranking,
    text: `import type { Knex } from 'knex';
import { TABLE_000 } from './tables';

export async function topRows(store: Knex) {
  return store
    .with('ranked', (qb) => qb.select('id').rowNumber('r', 'id').from(TABLE_000))
    .select('*')
    .from('ranked')
    .join('${other}', '${other}.id', 'ranked.id');
}

export async function recentRows(store: Knex) {
  return store.raw(\`WITH recent(id) AS (SELECT id FROM ${ctx}_t001 WHERE id > ?)
    SELECT r.id FROM recent r JOIN ${ctx}_audit a ON a.id = r.id\`, [0]);
}
`,
    expected: [
      access(ranking, 'topRows', `${ctx}_t000`, 'read'),
      access(ranking, 'topRows', other, 'read'),
      access(ranking, 'recentRows', `${ctx}_t001`, 'read'),
      access(ranking, 'recentRows', `${ctx}_audit`, 'read'),
    ],
  });

  const stats = at('stats-query.ts');
  files.push({
    path: stats,
    text: `import type { Knex } from 'knex';

export async function perDay(store: Knex) {
  return store.raw(\`select d::date, count(v.id) from generate_series(now() - interval '7 days', now(), interval '1 day') as d
    left join ${ctx}_t002 v on v.day = d::date group by 1\`);
}

export async function items(store: Knex) {
  return store.raw(
    "select e.value, extract(year from ev.created_at) from ${ctx}_t003 ev, jsonb_array_elements(ev.payload->'items') as e(value)",
  );
}
`,
    expected: [
      access(stats, 'perDay', `${ctx}_t002`, 'read'),
      access(stats, 'items', `${ctx}_t003`, 'read'),
    ],
  });

  const sub = at('subqueries.ts');
  files.push({
    path: sub,
    text: `import type { Knex } from 'knex';

export class SubQueries {
  constructor(private readonly store: Knex) {}

  withStock() {
    return this.store('${ctx}_t004').whereIn('id', (q) => q.select('id').from('${ctx}_t005'));
  }

  withPayments() {
    return this.store('${ctx}_t004').whereExists(function () {
      this.select('*').from('${ctx}_t006').whereRaw('1 = 1');
    });
  }

  purge() {
    return this.store('${ctx}_t007')
      .whereIn('id', (q) => q.select('id').from('${ctx}_t008').where('gone', true))
      .del();
  }
}
`,
    expected: [
      access(sub, 'SubQueries.withStock', `${ctx}_t004`, 'read'),
      access(sub, 'SubQueries.withStock', `${ctx}_t005`, 'read'),
      access(sub, 'SubQueries.withPayments', `${ctx}_t004`, 'read'),
      access(sub, 'SubQueries.withPayments', `${ctx}_t006`, 'read'),
      access(sub, 'SubQueries.purge', `${ctx}_t007`, 'write'),
      access(sub, 'SubQueries.purge', `${ctx}_t008`, 'read'),
    ],
  });

  const search = at('search.ts');
  files.push({
    path: search,
    text: `import type { Knex } from 'knex';
import { TABLE_009, TABLE_010 } from './tables';

export class Search {
  constructor(private readonly store: Knex) {}

  async find(filter: { joined?: boolean }) {
    let query = this.store(TABLE_009).select('*');
    if (filter.joined) query = query.leftJoin(TABLE_010, 'a.id', 'b.id');
    const rows = await query;
    return rows.map((row: { name: string }) => row.name).join(', ');
  }

  async purge(ids: number[]) {
    const stale = this.store('${ctx}_t011').whereIn('id', ids);
    await stale.del();
  }
}
`,
    expected: [
      access(search, 'Search.find', `${ctx}_t009`, 'read'),
      access(search, 'Search.find', `${ctx}_t010`, 'read'),
      access(search, 'Search.purge', `${ctx}_t011`, 'write'),
    ],
  });

  const templates = at('template-names.ts');
  files.push({
    path: templates,
    text: `import type { Knex } from 'knex';
import { TABLE_012 } from './tables';

export const T = { ROLES: '${ctx}_t013', GRANTS: '${ctx}_t014' } as const;

export class TemplateNames {
  constructor(private readonly store: Knex) {}

  aliased() {
    return this.store(\`\${TABLE_012} as p\`).select('p.*');
  }

  bare() {
    return this.store(\`\${TABLE_012}\`).del();
  }

  grants(userId: number) {
    return this.store.raw(
      \`select r.name from \${T.ROLES} AS r join \${T.GRANTS} g on g.role_id = r.id where g.user_id = ?\`,
      [userId],
    );
  }

  perTenant(tenant: string) {
    return this.store(\`\${tenant}_${ctx}\`);
  }
}
`,
    expected: [
      access(templates, 'TemplateNames.aliased', `${ctx}_t012`, 'read'),
      access(templates, 'TemplateNames.bare', `${ctx}_t012`, 'write'),
      access(templates, 'TemplateNames.grants', `${ctx}_t013`, 'read'),
      access(templates, 'TemplateNames.grants', `${ctx}_t014`, 'read'),
    ],
  });

  const renamed = at('renamed.ts');
  files.push({
    path: renamed,
    text: `import type { Knex } from 'knex';
import { TABLE_015, TABLES } from './tables';

export const ITEMS_TABLE = TABLE_015;
const NAMES = { audit: TABLES.audit, items: ITEMS_TABLE };

export async function archive(store: Knex, id: number) {
  await store(ITEMS_TABLE).where({ id }).update({ archived: true });
  await store(NAMES.audit).insert({ id });
}
`,
    expected: [
      access(renamed, 'archive', `${ctx}_t015`, 'write'),
      access(renamed, 'archive', `${ctx}_audit`, 'write'),
    ],
  });

  const events = at('event-repository.ts');
  const eventsClass = `${ctx.charAt(0).toUpperCase()}${ctx.slice(1)}EventRepository`;
  files.push({
    path: events,
    text: `import type { Knex } from 'knex';
import { BaseRepository } from '../shared/base-repository';

export class ${eventsClass} extends BaseRepository<{ id: number }> {
  constructor(store: Knex) {
    super('${ctx}_events', store);
  }
}
`,
    expected: [
      access('shared/base-repository.ts', `${eventsClass}.find`, `${ctx}_events`, 'read'),
      access('shared/base-repository.ts', `${eventsClass}.save`, `${ctx}_events`, 'write'),
    ],
  });

  const handles = at('stock.ts');
  files.push({
    path: handles,
    text: `import type { Knex } from 'knex';

export class Stock {
  constructor(private readonly connection: Knex) {}

  async reserve(id: number, trx?: Knex.Transaction) {
    const runner = trx ?? this.connection;
    await runner('${ctx}_t016').where({ id }).decrement('quantity', 1);
  }

  async levels(options: { executor?: Knex.Transaction } = {}) {
    const executor = options.executor || this.connection;
    return executor.select('*').from('${ctx}_t017');
  }
}
`,
    expected: [
      access(handles, 'Stock.reserve', `${ctx}_t016`, 'write'),
      access(handles, 'Stock.levels', `${ctx}_t017`, 'read'),
    ],
  });

  const ledger = at('ledger.ts');
  files.push({
    path: ledger,
    text: `import type { Knex } from 'knex';
import { ${ctx.toUpperCase()}_LEDGER } from '@bench/db';
import { withTransaction } from '../shared/unit-of-work';

export async function post(store: Knex, cents: number) {
  return withTransaction(store, async (tx) => {
    await tx(${ctx.toUpperCase()}_LEDGER).insert({ cents });
    await tx('${ctx}_t018').where({ id: 1 }).increment('total', cents);
  });
}
`,
    expected: [
      access(ledger, 'post', `${ctx}_ledger`, 'write'),
      access(ledger, 'post', `${ctx}_t018`, 'write'),
    ],
  });
  return files;
}

/** What each generated repository file does (see repositoryFile in generate-monolith). */
export function repositoryAccesses(
  ctx: string,
  file: string,
  i: number,
  table: string,
  other: string,
): ExpectedAccess[] {
  const cls = `Repository${i}`;
  const a = (symbol: string, name: string, mode: 'read' | 'write'): ExpectedAccess => ({
    context: ctx,
    file,
    symbol: `${cls}.${symbol}`,
    table: name,
    mode,
  });
  return [
    a('find', table, 'read'),
    a('list', table, 'read'),
    a('save', table, 'write'),
    a('save', `${ctx}_audit`, 'write'),
    a('withOther', table, 'read'),
    a('withOther', other, 'read'),
    a('totals', table, 'read'),
  ];
}
