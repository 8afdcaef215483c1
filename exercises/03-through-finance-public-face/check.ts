import fs from 'node:fs';
import path from 'node:path';
import { defineCheck, fail, pass } from '../runner/check-kit';
import {
  analyseMonolith,
  copyMonolithSource,
  facesConfig,
  listSome,
  MONOLITH_BASELINE,
  runBeforeSuite,
} from '../runner/check-tools';

const GATE = `npx strangler seams --root legacy-monolith/src --config legacy-monolith/seams.yaml --baseline ${MONOLITH_BASELINE}`;

export default defineCheck({
  criteria: [
    {
      title: 'warehouse uses finance only through finance/index.ts',
      async verify(ctx) {
        ctx.progress('analysing the monolith: imports past a context’s index.ts');
        const report = await analyseMonolith(ctx, { config: facesConfig(ctx) });
        const bypasses = report.ruleViolations.filter(
          (v) => v.from === 'warehouse' && v.to === 'finance',
        );
        if (bypasses.length === 0) return pass();
        return fail(
          `warehouse still reaches past finance's face: ${listSome(bypasses.map((v) => `${v.file}:${v.line} imports '${v.specifier}'`))}`,
          "import from '../finance' (finance/index.ts); if something warehouse needs is not exported there, finance decides whether to export it",
        );
      },
    },
    {
      title: 'the baseline no longer forgives it: putting the old import back fails the gate',
      async verify(ctx) {
        const baseline = path.join(ctx.root, MONOLITH_BASELINE);
        if (!fs.existsSync(baseline))
          return fail(
            `${MONOLITH_BASELINE} is missing (exercise 01 creates it)`,
            'npx strangler exercise start 3 brings exercise 01’s solution in',
          );
        // The old line, put back into a copy of the source.
        const src = copyMonolithSource(ctx, 'old-import');
        fs.appendFileSync(
          path.join(src, 'warehouse', 'service.ts'),
          "\nimport '../finance/service';\n",
        );
        ctx.progress('running the gate with the old import put back');
        const report = await analyseMonolith(ctx, { src, baseline, failOn: 'rules' });
        if (report.exitCode === 1) return pass();
        return fail(
          `with warehouse/service.ts importing '../finance/service' again, the gate exits ${report.exitCode}: the baseline still records that violation as known debt`,
          `the debt is paid, so record the baseline again: ${GATE} --update-baseline`,
        );
      },
    },
    {
      title:
        'placing and returning orders still book the payment and the refund (the before suite is green)',
      async verify(ctx) {
        const suite = await runBeforeSuite(ctx);
        if (suite.ok) return pass(suite.summary);
        return fail(
          `${suite.summary}; failing: ${listSome(suite.failed)}`,
          'npx jest --selectProjects before shows each difference',
        );
      },
    },
  ],
});
