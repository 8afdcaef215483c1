import { defineCheck, fail, pass } from '../runner/check-kit';
import { listSome, monolithReport, runBeforeSuite } from '../runner/check-tools';

const BOTH = ['catalog', 'recommendation'];

export default defineCheck({
  criteria: [
    {
      title: 'catalog and recommendation are no longer in a dependency cycle',
      async verify(ctx) {
        const report = await monolithReport(ctx);
        const cycle = report.cycles.find((group) => BOTH.every((c) => group.includes(c)));
        if (!cycle) return pass();
        const cuts = report.cycleBreaks
          .filter((b) => BOTH.every((c) => b.contexts.includes(c)))
          .flatMap((b) => b.cuts)
          .map(
            (cut) =>
              `${cut.from} → ${cut.to} (${cut.evidence.map((e) => `${e.file}:${e.line} imports ${e.names.join(', ')} from '${e.specifier}'`).join('; ')})`,
          );
        return fail(
          `still a cycle: ${cycle.join(' ↔ ')}. The analyser proposes to cut: ${listSome(cuts)}`,
          'npx strangler seams plan recommendation --root legacy-monolith/src --config legacy-monolith/seams.yaml lists the imports to replace',
        );
      },
    },
    {
      title: 'the cut adds no coupling of another kind: catalog reads no other context’s tables',
      async verify(ctx) {
        const report = await monolithReport(ctx);
        const foreign = report.tableAccess.filter(
          (a) => a.context === 'catalog' && !['artists', 'albums', 'tracks'].includes(a.table),
        );
        if (foreign.length === 0) return pass();
        return fail(
          `catalog now reads ${listSome(foreign.map((a) => `${a.table} (${a.symbol}, ${a.file}:${a.line})`))}`,
          'moving recommendation’s queries into catalog trades a cycle for a database seam: keep the ranking in recommendation and change who depends on whom instead',
        );
      },
    },
    {
      title: 'no dependency cycle is left between the monolith’s contexts',
      independent: true,
      async verify(ctx) {
        const report = await monolithReport(ctx);
        if (report.cycles.length === 0) return pass();
        return fail(
          `cycles: ${report.cycles.map((c) => c.join(' ↔ ')).join('; ')}`,
          'npm run seams shows each cycle with the cuts that break it',
        );
      },
    },
    {
      title: 'album pages and recommendations answer as before (the before suite is green)',
      async verify(ctx) {
        const suite = await runBeforeSuite(ctx);
        if (suite.ok) return pass(suite.summary);
        return fail(
          `${suite.summary}; failing: ${listSome(suite.failed)}`,
          'npx jest --selectProjects before shows each difference; youMayAlsoLike and /recommendations must return the same fields as before',
        );
      },
    },
  ],
});
