import { defineCheck, fail, pass } from '../runner/check-kit';
import {
  analyseMonolith,
  facesConfig,
  listSome,
  monolithReport,
  runBeforeSuite,
} from '../runner/check-tools';

const OWNERS: Record<string, string> = {
  orders: 'warehouse',
  order_lines: 'warehouse',
  customers: 'customer',
};

export default defineCheck({
  criteria: [
    {
      title: "recommendation reads none of warehouse's or customer's tables",
      async verify(ctx) {
        const report = await monolithReport(ctx);
        const reads = report.tableAccess.filter(
          (a) => a.context === 'recommendation' && a.table in OWNERS,
        );
        if (reads.length === 0) return pass();
        return fail(
          `recommendation still reads ${listSome([...new Set(reads.map((a) => `${a.table} (${a.symbol})`))])}`,
          'ask the owners instead: warehouse can say what sold and what a customer bought, customer whether a customer exists (through their index.ts)',
        );
      },
    },
    {
      title:
        'orders, order_lines and customers are read only by their owners (the queries moved, not to shared code)',
      async verify(ctx) {
        const report = await monolithReport(ctx);
        const strays = report.tableAccess.filter(
          (a) => a.table in OWNERS && a.context !== OWNERS[a.table],
        );
        if (strays.length === 0) return pass();
        return fail(
          `read outside their owner: ${listSome(strays.map((a) => `${a.table} by ${a.symbol} (${a.file})`))}`,
          'the queries belong in the owner’s repository (warehouse/repository.ts, customer/repository.ts), offered through its service and index.ts',
        );
      },
    },
    {
      title: 'recommendation reaches warehouse and customer only through their index.ts',
      async verify(ctx) {
        ctx.progress('analysing the monolith: imports past a context’s index.ts');
        const report = await analyseMonolith(ctx, { config: facesConfig(ctx) });
        const bypasses = report.ruleViolations.filter((v) => v.from === 'recommendation');
        if (bypasses.length === 0) return pass();
        return fail(
          `${listSome(bypasses.map((v) => `${v.file}:${v.line} imports '${v.specifier}'`))}`,
          "import from '../warehouse' and '../customer', and export what recommendation needs from their index.ts",
        );
      },
    },
    {
      title: 'no dependency cycle between recommendation and warehouse or customer',
      async verify(ctx) {
        const report = await monolithReport(ctx);
        const cycle = report.cycles.find(
          (group) =>
            group.includes('recommendation') &&
            (group.includes('warehouse') || group.includes('customer')),
        );
        if (!cycle) return pass();
        return fail(
          `new cycle: ${cycle.join(' ↔ ')}`,
          'recommendation may depend on warehouse and customer, never the other way round',
        );
      },
    },
    {
      title: 'recommendations and "you may also like" answer as before (the before suite is green)',
      async verify(ctx) {
        const suite = await runBeforeSuite(ctx);
        if (suite.ok) return pass(suite.summary);
        return fail(
          `${suite.summary}; failing: ${listSome(suite.failed)}`,
          'npx jest --selectProjects before shows each difference (returned and cancelled orders, unknown customers → 404)',
        );
      },
    },
  ],
});
