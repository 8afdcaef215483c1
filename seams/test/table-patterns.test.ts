import path from 'node:path';
import type { SeamsReport } from '../src/seams-report';
import { analyseFixture, FIXTURES } from './support/analyse-fixture';

const pattern = (name: string, options = {}) =>
  analyseFixture(path.join('patterns', name), options);

/** table → "W:writers R:readers" per context, the shape a team reads in the ownership table. */
const tableMap = (report: SeamsReport) =>
  Object.fromEntries(
    report.tables.map((t) => [t.table, `W:${t.writers.join(',')} R:${t.readers.join(',')}`]),
  );
const unresolved = (report: SeamsReport) =>
  report.confidence.filter((c) => c.kind === 'unresolved-table').map((c) => c.detail);

describe('table access the way real code writes it (one fixture per pattern)', () => {
  it('CTE names from .with(), .withRecursive() and SQL WITH are queries, not tables', async () => {
    const report = await pattern('cte-names');
    expect(tableMap(report)).toEqual({
      categories: 'W: R:reports',
      customers: 'W: R:reports',
      orders: 'W: R:reports',
      scores: 'W: R:reports',
      users: 'W: R:reports',
    });
    expect(report.confidence).toEqual([]);
  });

  it('set-returning functions in FROM (generate_series, jsonb_array_elements, unnest) and extract(… from …) are not tables', async () => {
    const report = await pattern('sql-functions');
    expect(Object.keys(tableMap(report))).toEqual(['events', 'invoices', 'users', 'visits']);
  });

  it('reads the tables inside .with() and sub-query callbacks, arrow or function(){ this… }', async () => {
    const report = await pattern('callback-subqueries');
    expect(tableMap(report)).toEqual({
      order_lines: 'W:orders R:',
      orders: 'W: R:orders',
      payments: 'W: R:orders',
      shipments: 'W: R:orders',
      stock: 'W: R:orders',
    });
    const access = report.tableAccess.find((a) => a.table === 'payments');
    expect(access).toMatchObject({ symbol: 'OrderQueries.withPayments', via: '.from', line: 14 });
  });

  it('follows a builder kept in a variable: later joins are read, a later update or delete writes its table', async () => {
    const report = await pattern('builder-variables');
    expect(tableMap(report)).toEqual({
      roles: 'W: R:users',
      sessions: 'W:users R:',
      teams: 'W: R:users',
      users: 'W: R:users',
    });
  });

  it('resolves template-string names with and without aliases, in knex calls and raw SQL; says why a built name is not resolved', async () => {
    const report = await pattern('template-names');
    expect(Object.keys(tableMap(report))).toEqual(['permissions', 'role_grants', 'roles']);
    expect(unresolved(report)).toEqual([
      `AccessRepository.perTenant: table name \`\${tenant}_permissions\` (knex(), read) not resolved: it is built at run time`,
    ]);
  });

  it('follows constants that rename other constants, also inside object constants', async () => {
    const report = await pattern('renamed-constants');
    expect(tableMap(report)).toEqual({ accounts: 'W:billing R:', ledger_entries: 'W:billing R:' });
  });

  it("gives a base class's this.tableName the table each subclass passes to super(), in the subclass's context", async () => {
    const report = await pattern('base-class-tables');
    expect(tableMap(report)).toEqual({
      audit_log: 'W:audit R:audit',
      events: 'W:events R:events',
    });
    expect(
      report.tableAccess.find((a) => a.table === 'events' && a.mode === 'write'),
    ).toMatchObject({
      symbol: 'EventRepository.save',
      file: 'shared/base-repository.ts',
      via: 'knex() inherited from BaseRepository',
      context: 'events',
    });
    expect(report.confidence).toEqual([]);
  });

  it('recognises untyped handles: const runner = trx ?? this.connection, options.executor || …, await knex.transaction()', async () => {
    const report = await pattern('untyped-handles');
    expect(tableMap(report)).toEqual({
      restocks: 'W:inventory R:',
      stock: 'W:inventory R:',
      stock_levels: 'W: R:inventory',
    });
  });

  it('follows table constants into a workspace package outside --root, and says why a declaration file cannot be read', async () => {
    const root = path.join(FIXTURES, 'patterns', 'outside-root', 'src');
    const report = await analyseFixture(path.relative(FIXTURES, root));
    expect(tableMap(report)).toEqual({ invoices: 'W:billing R:', users: 'W: R:users' });
    expect(unresolved(report)).toEqual([
      expect.stringContaining(
        "PAYOUTS is imported from '@acme/generated', which resolves to the declaration file ../packages/generated/index.d.ts",
      ),
    ]);
  });

  it("finds a project's transaction wrappers (a function or method that opens a knex transaction around a callback) and the ones seams.yaml names", async () => {
    const dir = path.join(FIXTURES, 'patterns', 'transaction-wrappers');
    const report = await pattern('transaction-wrappers', { config: path.join(dir, 'seams.yaml') });
    const summary = report.transactions
      .filter((tx) => tx.confidence !== 'knex')
      .map((tx) => [
        tx.symbol,
        tx.confidence,
        tx.wrapper?.symbol,
        tx.tables.map((t) => `${t.mode}:${t.table}`),
      ]);
    expect(summary).toEqual([
      ['placeOrder', 'wrapper', 'withTransaction', ['write:orders', 'write:payments']],
      [
        'RefundService.refund',
        'wrapper',
        'TransactionalService.transactional',
        ['write:refunds', 'write:payments'],
      ],
      ['cancel', 'configured', undefined, ['write:orders', 'write:payments']],
    ]);
    expect(report.findings.filter((f) => f.kind === 'cross-context-transaction')).toHaveLength(3);
  });
});
