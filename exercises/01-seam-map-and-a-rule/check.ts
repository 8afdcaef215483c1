import fs from 'node:fs';
import path from 'node:path';
import { SeamsError } from '../../seams/src';
import { type CheckContext, defineCheck, fail, pass } from '../runner/check-kit';
import {
  analyseMonolith,
  copyMonolithSource,
  listSome,
  MONOLITH_BASELINE,
  MONOLITH_CONTEXTS,
} from '../runner/check-tools';

// Each context reaches into the next one's internals (service.ts) in one probe file,
// and through the next one's public face (index.ts) in another.
const PROBES = MONOLITH_CONTEXTS.map((from, i) => ({
  from,
  to: MONOLITH_CONTEXTS[(i + 1) % MONOLITH_CONTEXTS.length],
  inside: `${from}/exercise-probe-inside.ts`,
  face: `${from}/exercise-probe-face.ts`,
}));

const GATE = `npx strangler seams --root legacy-monolith/src --config legacy-monolith/seams.yaml --baseline ${MONOLITH_BASELINE}`;

/** legacy-monolith/src copied with the probes planted in it. */
function probedSource(ctx: CheckContext): string {
  const src = copyMonolithSource(ctx, 'probes');
  for (const probe of PROBES) {
    fs.writeFileSync(
      path.join(src, probe.inside),
      `import * as internals from '../${probe.to}/service';\nexport const probe = internals;\n`,
    );
    fs.writeFileSync(
      path.join(src, probe.face),
      `import * as face from '../${probe.to}';\nexport const probe = face;\n`,
    );
  }
  return src;
}

const asFailure = (error: unknown) => {
  if (error instanceof SeamsError)
    return fail(
      error.message,
      'fix the file the message names (legacy-monolith/seams.yaml or the baseline), then run the check again',
    );
  throw error;
};

export default defineCheck({
  criteria: [
    {
      title:
        "legacy-monolith/seams.yaml has a rule: code outside a context imports it only through the context's index.ts",
      async verify(ctx) {
        const report = await analyseMonolith(ctx, { src: probedSource(ctx) }).catch(asFailure);
        if (!('ruleViolations' in report)) return report;
        const violating = new Set(report.ruleViolations.map((v) => v.file));
        const missed = PROBES.filter((p) => !violating.has(p.inside));
        const tooStrict = PROBES.filter((p) => violating.has(p.face));
        if (missed.length === PROBES.length)
          return fail(
            `an import like "import … from '../${PROBES[0].to}/service'" inside ${PROBES[0].from}/ breaks no rule of legacy-monolith/seams.yaml`,
            'add a publicFaces rule naming the five context folders to legacy-monolith/seams.yaml (seams/README.md, section Config, shows the shape)',
          );
        if (missed.length > 0)
          return fail(
            `your rule does not cover ${missed.map((p) => p.to).join(', ')}: importing ${missed.map((p) => `../${p.to}/service`).join(', ')} from another context passes`,
            `list every context folder in the rule: ${MONOLITH_CONTEXTS.join(', ')}`,
          );
        if (tooStrict.length > 0)
          return fail(
            `your rule also refuses imports through the public face (${tooStrict.map((p) => `${p.from} → '../${p.to}'`).join(', ')})`,
            "a context's index.ts is its public face: imports of the folder itself must stay allowed (publicFaces does that by default)",
          );
        return pass();
      },
    },
    {
      title: `the baseline gate passes on the monolith as it is: today's violations are recorded in ${MONOLITH_BASELINE}`,
      async verify(ctx) {
        const baseline = path.join(ctx.root, MONOLITH_BASELINE);
        if (!fs.existsSync(baseline))
          return fail(
            `${MONOLITH_BASELINE} does not exist yet`,
            `record today's state once: ${GATE} --update-baseline`,
          );
        const report = await analyseMonolith(ctx, { baseline, failOn: 'rules' }).catch(asFailure);
        if (!('ruleViolations' in report)) return report;
        if (report.exitCode !== 0)
          return fail(
            `the gate fails on the monolith as it is, on violations the baseline does not know: ${listSome(report.ruleViolations.map((v) => `${v.file} → ${v.target}`))}`,
            `record them as known debt: ${GATE} --update-baseline`,
          );
        if (!report.baseline?.knownViolations)
          return fail(
            'the gate passes, but the baseline records no violation of your rule: warehouse still reaches into finance/service.ts (planted seam 2), so the baseline was recorded before the rule existed',
            `record it again now that the rule is in seams.yaml: ${GATE} --update-baseline`,
          );
        return pass(`${report.baseline.knownViolations} known violation(s) recorded as debt`);
      },
    },
    {
      title: "a new import that bypasses a context's index.ts fails the gate (exit 1)",
      async verify(ctx) {
        const report = await analyseMonolith(ctx, {
          src: probedSource(ctx),
          baseline: path.join(ctx.root, MONOLITH_BASELINE),
          failOn: 'rules',
        }).catch(asFailure);
        if (!('ruleViolations' in report)) return report;
        const caught = report.ruleViolations.filter((v) =>
          v.file.includes('exercise-probe-inside'),
        );
        if (report.exitCode === 1 && caught.length === PROBES.length)
          return pass(`e.g. ${caught[0].file} → ${caught[0].target} (rule ${caught[0].rule})`);
        return fail(
          `with a new import of ../${PROBES[0].to}/service in ${PROBES[0].from}/, the gate exits ${report.exitCode}`,
          'the baseline must record violations, never the rule away: do not list probe files or whole contexts in it; record it again with --update-baseline on the unchanged monolith',
        );
      },
    },
  ],
});
