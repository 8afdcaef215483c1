import path from 'node:path';
import { analyseFixture, FIXTURES, findingsOf } from './support/analyse-fixture';

const tableNames = (report: Awaited<ReturnType<typeof analyseFixture>>) =>
  Object.fromEntries(
    report.tables.map((t) => [t.table, { owner: t.owner, writers: t.writers, readers: t.readers }]),
  );

describe('fixtures: codebases that are not MusicCorp', () => {
  it('follows tsconfig path aliases to the file', async () => {
    const report = await analyseFixture('aliases');
    const [finding] = findingsOf(report, 'code-import');
    expect(finding).toMatchObject({ from: 'shipping', to: 'billing' });
    expect(finding.evidence[0]).toMatchObject({ file: 'shipping/ship.ts', line: 1 });
    expect(finding.evidence[0].detail).toContain(
      "'@billing/invoice-store' → billing/invoice-store.ts",
    );
  });

  it('follows barrels to the file that defines each name, and marks type-only and dynamic imports', async () => {
    const report = await analyseFixture('barrels');
    const edges = report.contexts.find((c) => c.context === 'orders');
    expect(edges).toMatchObject({ afferent: 1, afferentTypeOnly: 1, afferentDynamic: 1 });
    const details = findingsOf(report, 'code-import')[0].evidence.map((e) => e.detail);
    expect(details).toEqual(
      expect.arrayContaining([
        "import of OrderService from '../orders' → orders/order-service.ts via orders/index.ts; calls OrderService.find",
        "import of price from '../orders' → orders/pricing.ts via orders/index.ts; calls priceOf",
        expect.stringMatching(/^type-only import of Order from '..\/orders\/order-service'/),
        expect.stringMatching(/^dynamic import\(\) of \* from '..\/orders\/pricing'/),
      ]),
    );
  });

  it('resolves table names from constants, enums, object constants, class fields and imported identifiers', async () => {
    const report = await analyseFixture('table-names');
    expect(tableNames(report)).toEqual({
      audit_log: { owner: 'projects', writers: ['projects'], readers: [] },
      project_archive: { owner: 'projects', writers: ['projects'], readers: [] },
      project_members: { owner: 'projects', writers: ['projects'], readers: [] },
      projects: { owner: 'projects', writers: ['projects'], readers: ['projects', 'tasks'] },
      tasks: { owner: 'tasks', writers: ['tasks'], readers: ['tasks'] },
    });
    expect(report.confidence).toEqual([
      expect.objectContaining({
        kind: 'unresolved-table',
        file: 'projects/project-repository.ts',
        line: 27,
        detail: expect.stringContaining('tableName'),
      }),
    ]);
    expect(findingsOf(report, 'foreign-table-read')[0]).toMatchObject({
      from: 'tasks',
      to: 'projects',
    });
  });

  it('parses raw SQL in .raw(), template literals and whereRaw for the tables read and written', async () => {
    const report = await analyseFixture('raw-sql');
    expect(tableNames(report)).toEqual({
      customers: { owner: 'reports', writers: ['reports'], readers: ['reports'] },
      invoices: { owner: 'billing', writers: ['billing'], readers: ['reports'] },
      reminders: { owner: 'reports', writers: [], readers: ['reports'] },
    });
    const reads = report.findings.find((f) => f.kind === 'foreign-table-read');
    expect(reads?.evidence.map((e) => e.symbol)).toEqual([
      'ReportRepository.revenueByCustomer',
      'ReportRepository.overdue',
    ]);
  });

  it('reads plain JavaScript with require and module.exports', async () => {
    const report = await analyseFixture('plain-js');
    expect(tableNames(report)).toEqual({
      charges: { owner: 'billing', writers: ['billing'], readers: [] },
      users: { owner: 'users', writers: ['users'], readers: ['billing', 'users'] },
    });
    expect(report.confidence).toEqual([]);
    const imports = findingsOf(report, 'code-import').find((f) => f.to === 'users');
    expect(imports?.evidence[0].detail).toBe(
      "require of * from '../users/users' → users/users.js; calls findUser",
    );
  });

  it('uses configured contexts in a monorepo-like layout with package aliases', async () => {
    const root = path.join(FIXTURES, 'monorepo');
    const report = await analyseFixture('monorepo', {
      config: path.join(root, 'seams.config.yaml'),
    });
    expect(report.contexts.map((c) => c.context)).toEqual(['accounts', 'invoices']);
    expect(findingsOf(report, 'code-import')[0].evidence[0].detail).toContain(
      'packages/accounts/src/open-account.ts via packages/accounts/src/index.ts',
    );
    expect(report.tables.map((t) => [t.table, t.owner])).toEqual([
      ['accounts', 'accounts'],
      ['invoices', 'invoices'],
    ]);
  });

  it('when a file has a syntax error or an import cannot be resolved, then each is reported with its location instead of crashing', async () => {
    const report = await analyseFixture('broken');
    expect(report.confidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'parse-error', file: 'bad/broken.ts' }),
        {
          kind: 'unresolved-import',
          file: 'bad/broken.ts',
          line: 1,
          detail: "cannot resolve './does-not-exist'",
        },
        {
          kind: 'missing-package',
          file: 'bad/other.ts',
          line: 1,
          detail: "cannot resolve 'left-pad-that-is-not-installed'",
        },
      ]),
    );
    expect(findingsOf(report, 'code-import')).toHaveLength(1);
  });

  it('follows a knex transaction body through a barrel into another context', async () => {
    const report = await analyseFixture('transaction');
    const [tx] = findingsOf(report, 'cross-context-transaction');
    expect(tx).toMatchObject({ from: 'orders', to: 'payments' });
    expect(tx.evidence.map((e) => e.detail)).toEqual([
      'db.transaction(…) opened in placeOrder [knex]',
      'writes orders (orders) via placeOrder',
      'writes payments (payments) via placeOrder → recordPayment',
    ]);
  });

  it('when the codebase is clean, then no cross-context seam is found', async () => {
    const report = await analyseFixture('clean');
    expect(report.tables.map((t) => t.table)).toEqual(['alpha_items', 'beta_entries']);
    expect(report.findings).toEqual([]);
    expect(report.exitCode).toBe(0);
  });
});
