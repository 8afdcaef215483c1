import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type CheckContext, defineCheck, fail, pass } from '../runner/check-kit';
import { listSome } from '../runner/check-tools';

const SUITE = 'customer-service';
const MIN_CASES = 3;
const SERVICE = 'customer-service';

interface Case {
  name: string;
  status: string;
}

interface SuiteRun {
  exitCode: number | null;
  /** Every case jest reported, with its describe titles (jest's JSON output). */
  cases: Case[];
  ours: Case[];
  failed: string[];
  /** The after stack's closing line: which route sent how many requests where. */
  traffic?: string;
  output: string;
}

interface JestJson {
  testResults?: Array<{
    assertionResults?: Array<{ ancestorTitles: string[]; title: string; status: string }>;
  }>;
}

/** The black-box suite in one mode (a jest project: `before` or `after`), read back from jest's JSON report. */
function runSuite(ctx: CheckContext, mode: 'before' | 'after'): Promise<SuiteRun> {
  return ctx.once(`suite-${mode}`, async () => {
    const jest = path.join(ctx.root, 'node_modules', 'jest', 'bin', 'jest.js');
    if (!fs.existsSync(jest))
      throw Object.assign(new Error('jest is not installed in this clone: run npm install first'), {
        code: 'ERR_EXERCISE_ENVIRONMENT',
      });
    ctx.progress(`running the before/after suite in ${mode} mode (jest --selectProjects ${mode})`);
    const report = path.join(ctx.tempDir(`jest-${mode}`), 'report.json');
    // The suite must start its own stack from this tree, not test one the learner points at.
    const { TARGET_URL: _ignored, ...env } = process.env;
    const run = spawnSync(
      process.execPath,
      [jest, '--selectProjects', mode, '--silent', '--json', '--outputFile', report],
      { cwd: ctx.root, encoding: 'utf8', env: { ...env, FORCE_COLOR: '0' }, maxBuffer: 64 << 20 },
    );
    const output = `${run.stdout}${run.stderr}`;
    const json: JestJson = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : {};
    const cases = (json.testResults ?? []).flatMap((file) =>
      (file.assertionResults ?? []).map((a) => ({
        name: [...a.ancestorTitles, a.title].join(' › '),
        top: a.ancestorTitles[0],
        status: a.status,
      })),
    );
    return {
      exitCode: run.status,
      cases,
      ours: cases.filter((c) => c.top === SUITE),
      failed: cases.filter((c) => c.status === 'failed').map((c) => c.name),
      traffic: /\[before\/after\] traffic: ([^;\n]*)/.exec(output)?.[1],
      output,
    };
  });
}

/** Why a mode's run is not green, in a line. */
function notGreen(run: SuiteRun): string | undefined {
  if (run.cases.length === 0)
    return `jest ran no test (exit ${run.exitCode}): ${run.output.trim().split('\n').slice(-4).join(' | ')}`;
  if (run.failed.length > 0) return `${run.failed.length} failed: ${listSome(run.failed, 3)}`;
  const skipped = run.ours.filter((c) => c.status !== 'passed');
  if (skipped.length > 0)
    return `${skipped.length} of your cases did not run (${skipped[0].status}): ${listSome(
      skipped.map((c) => c.name),
      2,
    )}`;
  if (run.exitCode !== 0)
    return `every case passed but jest exited ${run.exitCode}: ${run.output.trim().split('\n').slice(-3).join(' | ')}`;
  return undefined;
}

export default defineCheck({
  criteria: [
    {
      title: `the before/after suite has at least ${MIN_CASES} cases in describeSuite('${SUITE}', …)`,
      async verify(ctx) {
        const run = await runSuite(ctx, 'before');
        if (run.ours.length < MIN_CASES)
          return fail(
            `jest reports ${run.ours.length} case(s) under "${SUITE}" (of ${run.cases.length} in the suite)`,
            `add test/before-after/customer-service.test.ts with describeSuite('${SUITE}', () => { it(…) }) and at least ${MIN_CASES} black-box cases on /customers (test/before-after/customers.test.ts shows the style)`,
          );
        return pass(
          `${run.ours.length} cases: ${listSome(
            run.ours.map((c) => c.name),
            3,
          )}`,
        );
      },
    },
    {
      title: 'in before mode (the monolith alone) the whole suite passes, your cases included',
      async verify(ctx) {
        const run = await runSuite(ctx, 'before');
        const problem = notGreen(run);
        if (problem)
          return fail(
            problem,
            'npx jest --selectProjects before: the monolith is the reference; a case that fails here describes behaviour the monolith never had',
          );
        return pass(`${run.cases.length} cases passed`);
      },
    },
    {
      title: `in after mode (the proxy with ${SERVICE} in the stack) the whole suite passes, your cases included`,
      async verify(ctx) {
        const run = await runSuite(ctx, 'after');
        const problem = notGreen(run);
        if (problem)
          return fail(
            problem,
            `npx jest --selectProjects after; the after stack is test/before-after/stack-after.ts. A read right after a write may cross a sync: eventually() in test/before-after/client.ts waits for it`,
          );
        if (run.ours.length < MIN_CASES)
          return fail(
            `after mode ran ${run.ours.length} case(s) under "${SUITE}"`,
            'the same suite runs in both modes: keep your cases free of mode checks',
          );
        return pass(`${run.cases.length} cases passed`);
      },
    },
    {
      title: `in after mode, customer traffic reached ${SERVICE} (the stack's traffic summary)`,
      async verify(ctx) {
        const run = await runSuite(ctx, 'after');
        const served = [...(run.traffic ?? '').matchAll(/(\S+)→(\S+) (\d+)/g)]
          .filter((m) => m[2] === SERVICE)
          .reduce((sum, m) => sum + Number(m[3]), 0);
        if (served === 0)
          return fail(
            `the after stack's proxy sent no request to ${SERVICE} (traffic: ${run.traffic ?? 'no summary line'})`,
            `in test/before-after/stack-after.ts start ${SERVICE} on its own database, copy the customers data set to it, give the routes a customers-read route (GET, HEAD) to it, and list that route in verifyTrafficSplit`,
          );
        return pass(`traffic: ${run.traffic}`);
      },
    },
  ],
});
