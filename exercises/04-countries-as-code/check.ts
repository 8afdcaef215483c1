import { openDatabase, parseDatabaseUrl } from '../../common/src/database';
import { defineCheck, fail, pass } from '../runner/check-kit';
import {
  listSome,
  monolithReport,
  runBeforeSuite,
  seededMonolithDatabase,
  startScratchMonolith,
} from '../runner/check-tools';

interface Country {
  code: string;
  name: string;
  taxRateBp: number;
  shippingZone: string;
}

export default defineCheck({
  criteria: [
    {
      title: 'no code of the monolith reads the countries table',
      async verify(ctx) {
        const report = await monolithReport(ctx);
        const reads = report.tableAccess.filter((a) => a.table === 'countries');
        if (reads.length === 0) return pass();
        return fail(
          `the countries table is still read by ${listSome(reads.map((a) => `${a.symbol} (${a.context ?? 'no context'}, ${a.file}:${a.line})`))}`,
          'keep the countries as code in one module every context imports (moving the query to a shared repository still shares the table)',
        );
      },
    },
    {
      title: 'GET /countries lists exactly the rows of the countries table, by code',
      async verify(ctx) {
        const databaseUrl = await seededMonolithDatabase(ctx);
        const db = openDatabase(parseDatabaseUrl(databaseUrl, 'monolith'));
        let rows: Array<Record<string, unknown>>;
        try {
          rows = await db('countries').select().orderBy('code');
        } finally {
          await db.destroy();
        }
        const expected: Country[] = rows.map((r) => ({
          code: String(r.code),
          name: String(r.name),
          taxRateBp: Number(r.tax_rate_bp),
          shippingZone: String(r.shipping_zone),
        }));
        const monolith = await startScratchMonolith(ctx, databaseUrl);
        const answer = await fetch(`${monolith.url}/countries`);
        if (answer.status !== 200)
          return fail(
            `GET /countries answered ${answer.status}: ${(await answer.text()).slice(0, 200)}`,
            'the customer context still serves GET /countries: let it answer from the countries in code',
          );
        const served = (await answer.json()) as Country[];
        const key = (c: Country) => JSON.stringify([c.code, c.name, c.taxRateBp, c.shippingZone]);
        const missing = expected.filter((e) => !served.some((s) => key(s) === key(e)));
        const extra = served.filter((s) => !expected.some((e) => key(s) === key(e)));
        if (missing.length || extra.length)
          return fail(
            `differs from the table: ${[...missing.map((c) => `missing ${key(c)}`), ...extra.map((c) => `not in the table ${key(c)}`)].join('; ')}`,
            'the code must hold the same rows as the seed writes (legacy-monolith/seed/reference-data.ts): better still, let the seed take them from the code',
          );
        if (served.map((c) => c.code).join() !== expected.map((c) => c.code).join())
          return fail(
            `same countries, other order: ${served.map((c) => c.code).join(', ')}`,
            'GET /countries lists them by code',
          );
        return pass(`${served.length} countries`);
      },
    },
    {
      title:
        'sign-up, order tax and revenue by country answer as before (the before suite is green)',
      async verify(ctx) {
        const suite = await runBeforeSuite(ctx);
        if (suite.ok) return pass(suite.summary);
        return fail(
          `${suite.summary}; failing: ${listSome(suite.failed)}`,
          'npx jest --selectProjects before shows each difference (unknown countries must still be refused with field countryCode)',
        );
      },
    },
  ],
});
