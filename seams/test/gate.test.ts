import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { analyseSeams } from '../src/analyse-seams';
import { registerSeamsCommands } from '../src/cli';
import { SeamsError } from '../src/errors';
import { analyseFixture, copyFixture, FIXTURES } from './support/analyse-fixture';

const SELF_RULES = path.resolve(__dirname, '..', 'rules', 'self.yaml');

async function runCli(
  args: string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const program = new Command().exitOverride();
  registerSeamsCommands(program);
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const previous = process.exitCode;
  try {
    await program.parseAsync([
      'node',
      'strangler',
      'seams',
      '--no-cache',
      '--no-progress',
      ...args,
    ]);
    return { exitCode: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = previous;
  }
}

describe('baseline gate', () => {
  it('when cross-context edges were added since --update-baseline, then it exits 1 and lists only those', async () => {
    const copy = copyFixture('transaction');
    const baseline = path.join(copy.dir, 'baseline.json');
    try {
      const first = await analyseSeams({
        root: copy.dir,
        cache: false,
        baseline,
        updateBaseline: true,
      });
      expect(first.exitCode).toBe(0);
      expect(JSON.parse(fs.readFileSync(baseline, 'utf8')).edges.length).toBeGreaterThan(0);
      expect((await analyseSeams({ root: copy.dir, cache: false, baseline })).exitCode).toBe(0);

      fs.writeFileSync(
        path.join(copy.dir, 'orders', 'refund.ts'),
        "import { recordPayment } from '../payments/record-payment';\nexport const refund = recordPayment;\n",
      );
      const after = await analyseSeams({ root: copy.dir, cache: false, baseline });
      expect(after.exitCode).toBe(1);
      expect(after.baseline?.newFindings.flatMap((f) => f.evidence.map((e) => e.file))).toEqual([
        'orders/refund.ts',
      ]);
    } finally {
      copy.cleanup();
    }
  });

  it('when --fail-on any meets any seam, then it exits 1, and 0 on a clean codebase', async () => {
    expect((await analyseFixture('transaction', { failOn: 'any' })).exitCode).toBe(1);
    expect((await analyseFixture('clean', { failOn: 'any' })).exitCode).toBe(0);
  });
});

describe('dogfooding rules (seams/rules/self.yaml)', () => {
  it('gives each component of the kit its own context, one per extracted service', async () => {
    const report = await analyseFixture('rules-violation', { config: SELF_RULES });
    expect(report.contexts.map((c) => c.context)).toEqual([
      'catalog-service',
      'common',
      'finance-service',
      'legacy-monolith',
      'seams',
      'strangler-proxy',
    ]);
  });

  it('when a layering mistake is made, then each fails: proxy → monolith or a service, service → monolith or another service, seams → an app, common → a component, a proxy feature imported around its index.ts', async () => {
    const report = await analyseFixture('rules-violation', { config: SELF_RULES });
    expect(report.exitCode).toBe(1);
    expect(report.ruleViolations.map((v) => [v.rule, v.file, v.line])).toEqual([
      ['proxy-never-imports-monolith-or-services', 'strangler-proxy/src/proxy.ts', 1],
      ['proxy-never-imports-monolith-or-services', 'strangler-proxy/src/routes.ts', 3],
      ['services-never-import-the-monolith', 'extracted/catalog-service/src/app.ts', 2],
      ['services-never-import-each-other', 'extracted/catalog-service/src/app.ts', 1],
      ['seams-never-imports-apps', 'seams/src/analyse.ts', 1],
      ['common-imports-no-component', 'common/src/logger.ts', 1],
      ['proxy-features-through-their-index', 'strangler-proxy/src/routes.ts', 2],
    ]);
  });

  it('when known violations are recorded in a baseline, then they pass with --fail-on rules, and a new one fails', async () => {
    const copy = copyFixture('rules-violation');
    const baseline = path.join(copy.dir, 'known.json');
    try {
      const options = { root: copy.dir, cache: false, config: SELF_RULES, baseline };
      await analyseSeams({ ...options, updateBaseline: true });
      const known = await analyseSeams({ ...options, failOn: 'rules' });
      expect(known).toMatchObject({ exitCode: 0, ruleViolations: [] });
      expect(known.baseline?.knownViolations).toBe(7);

      fs.writeFileSync(
        path.join(copy.dir, 'strangler-proxy', 'src', 'late.ts'),
        "export { tap } from './shadow/tap';\n",
      );
      const broken = await analyseSeams({ ...options, failOn: 'rules' });
      expect(broken.exitCode).toBe(1);
      expect(broken.ruleViolations.map((v) => [v.rule, v.file])).toEqual([
        ['proxy-features-through-their-index', 'strangler-proxy/src/late.ts'],
      ]);
    } finally {
      copy.cleanup();
    }
  });

  it('when rules are violated, then the CLI prints the violations and exits 1', async () => {
    const result = await runCli([
      '--root',
      path.join(FIXTURES, 'rules-violation'),
      '--config',
      SELF_RULES,
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      "✗ proxy-never-imports-monolith-or-services: strangler-proxy/src/proxy.ts:1 imports '../../legacy-monolith/src/app'",
    );
  });
});

describe('bad usage is exit 2 with a message that says how to fix it', () => {
  it.each([
    [
      { root: '/no/such/folder' },
      'ERR_SEAMS_ROOT_NOT_FOUND',
      /--root \/no\/such\/folder: no such folder/,
    ],
    [
      { root: FIXTURES, format: ['pdf'] as never },
      'ERR_SEAMS_OPTIONS',
      /known formats: text, json, md, mermaid, dot, html/,
    ],
    [
      { root: FIXTURES, updateBaseline: true },
      'ERR_SEAMS_OPTIONS',
      /--update-baseline needs --baseline/,
    ],
    [
      { root: FIXTURES, db: '/no/such.sqlite' },
      'ERR_SEAMS_DATABASE',
      /no SQLite file at \/no\/such.sqlite/,
    ],
    [
      { root: FIXTURES, baseline: '/no/baseline.json' },
      'ERR_SEAMS_BASELINE',
      /create it with --baseline \/no\/baseline.json --update-baseline/,
    ],
  ])('%j → %s', async (options, code, message) => {
    const error = await analyseSeams({ cache: false, ...options }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeamsError);
    expect(error).toMatchObject({ code, exitCode: 2, message: expect.stringMatching(message) });
  });

  it('when a context name with * has a glob that names no folder for it, then it is rejected', async () => {
    const copy = copyFixture('clean');
    try {
      const config = path.join(copy.dir, 'seams.yaml');
      fs.writeFileSync(config, 'contexts:\n  "*": "**/*.ts"\n');
      await expect(analyseSeams({ root: copy.dir, cache: false, config })).rejects.toMatchObject({
        code: 'ERR_SEAMS_CONFIG',
        message: expect.stringContaining('contexts."*": a name with * needs a glob whose folder'),
      });
    } finally {
      copy.cleanup();
    }
  });

  it('when a config has an unknown field, then it is rejected naming the file and the field', async () => {
    const copy = copyFixture('clean');
    try {
      const config = path.join(copy.dir, 'seams.yaml');
      fs.writeFileSync(config, 'contexts:\n  alpha: alpha/**\nforbiden: []\n');
      await expect(analyseSeams({ root: copy.dir, cache: false, config })).rejects.toMatchObject({
        code: 'ERR_SEAMS_CONFIG',
        message: expect.stringContaining(`${config}: field "(top level)"`),
      });
      const result = await runCli(['--root', copy.dir, '--config', config]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('forbiden');
    } finally {
      copy.cleanup();
    }
  });
});

describe('seams plan <context>: what to cut to extract one context', () => {
  it('lists each seam to cut with its evidence and the pattern that undoes it', async () => {
    const result = await runCli(['plan', 'payments', '--root', path.join(FIXTURES, 'transaction')]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(
      'Extraction plan for payments (rank 2, score 8): 2 files, owns 1 table(s): payments',
    );
    expect(result.stdout).toMatch(/1\. \[imports-in\] orders imports it: orders imports payments/);
    expect(result.stdout).toMatch(/2\. \[transaction\] placeOrder \(orders\/place-order.ts:\d+\)/);
    expect(result.stdout).toContain('pattern: saga: local transactions with compensating actions');
    expect(result.stdout).toContain(
      '- writes payments (payments) via placeOrder → recordPayment (payments/record-payment.ts:',
    );
  });

  it('writes a Markdown checklist with --format md', async () => {
    const result = await runCli([
      'plan',
      'orders',
      '--root',
      path.join(FIXTURES, 'transaction'),
      '--format',
      'md',
    ]);
    expect(result.stdout).toContain('# Extraction plan: orders');
    expect(result.stdout).toContain('- [ ] **imports-out**: replace its imports of payments');
  });

  it('when the context does not exist, then it exits 2 naming the known contexts', async () => {
    const result = await runCli(['plan', 'shipping', '--root', path.join(FIXTURES, 'transaction')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no context "shipping" (known: orders, payments)');
    const unknown = await runCli(['frobnicate', '--root', path.join(FIXTURES, 'transaction')]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown action "frobnicate"');
  });
});
