/**
 * The kit's own tools, as exercise checks use them: the seams analyser on the
 * monolith, the before suite, a seeded scratch database and the monolith on
 * port 0. Everything resolves inside the working tree being checked.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../common/src/logger';
import { migrateLatest } from '../../common/src/migrate';
import { openDatabase, parseDatabaseUrl } from '../../common/src/database';
import { loadConfig } from '../../legacy-monolith/src/config';
import { startMonolith } from '../../legacy-monolith/src/main';
import { seedDatabase } from '../../legacy-monolith/seed/seed-database';
import { analyseSeams, type SeamsReport } from '../../seams/src';
import type { CheckContext } from './check-kit';

export const MONOLITH_SRC = path.join('legacy-monolith', 'src');
export const MONOLITH_SEAMS_CONFIG = path.join('legacy-monolith', 'seams.yaml');
export const MONOLITH_BASELINE = path.join('legacy-monolith', 'seams-baseline.json');
export const MONOLITH_CONTEXTS = ['catalog', 'customer', 'finance', 'warehouse', 'recommendation'];

export interface AnalyseOptions {
  /** Source folder (default: the tree's legacy-monolith/src). */
  src?: string;
  /** seams config (default: the tree's legacy-monolith/seams.yaml). */
  config?: string;
  baseline?: string;
  failOn?: 'new' | 'any' | 'rules';
  db?: string;
}

/** `strangler seams` on the monolith, through its public API (no cache shared with the learner's). */
export async function analyseMonolith(
  ctx: CheckContext,
  options: AnalyseOptions = {},
): Promise<SeamsReport> {
  return analyseSeams({
    root: options.src ?? path.join(ctx.root, MONOLITH_SRC),
    config: options.config ?? path.join(ctx.root, MONOLITH_SEAMS_CONFIG),
    baseline: options.baseline,
    failOn: options.failOn,
    db: options.db,
    format: ['json'],
    cache: false,
  });
}

/** The monolith as it stands, analysed once per check. */
export function monolithReport(ctx: CheckContext): Promise<SeamsReport> {
  return ctx.once('monolith-report', () => {
    ctx.progress('analysing the monolith with strangler seams');
    return analyseMonolith(ctx);
  });
}

/** A copy of legacy-monolith/src in a temporary folder, to plant probes in. */
export function copyMonolithSource(ctx: CheckContext, label: string): string {
  const dir = path.join(ctx.tempDir(label), 'src');
  fs.cpSync(path.join(ctx.root, MONOLITH_SRC), dir, { recursive: true });
  return dir;
}

/** A seams config with the monolith's contexts and one rule of the check's own: contexts only through their index.ts. */
export function facesConfig(ctx: CheckContext): string {
  const file = path.join(ctx.tempDir('faces-config'), 'seams.yaml');
  const contexts = MONOLITH_CONTEXTS.map((c) => `  ${c}: ['${c}/**']`).join('\n');
  fs.writeFileSync(
    file,
    `contexts:\n${contexts}\npublicFaces:\n  - name: check-contexts-through-their-index\n    folders: [${MONOLITH_CONTEXTS.join(', ')}]\n`,
  );
  return file;
}

export interface SuiteRun {
  ok: boolean;
  summary: string;
  /** Names of the failed tests ("orders › placing an order …"). */
  failed: string[];
  output: string;
}

/**
 * The black-box before suite (test/before-after, the monolith alone on a freshly
 * seeded database) run by jest in the tree being checked. Run once per check.
 */
export function runBeforeSuite(ctx: CheckContext): Promise<SuiteRun> {
  return ctx.once('before-suite', async () => {
    ctx.progress('running the before suite (npx jest --selectProjects before)');
    const jest = path.join(ctx.root, 'node_modules', 'jest', 'bin', 'jest.js');
    if (!fs.existsSync(jest))
      throw Object.assign(new Error('jest is not installed in this clone: run npm install first'), {
        code: 'ERR_EXERCISE_ENVIRONMENT',
      });
    // The suite must start its own monolith from this tree, not test one the learner points at.
    const { TARGET_URL: _ignored, ...env } = process.env;
    const run = spawnSync(process.execPath, [jest, '--selectProjects', 'before', '--silent'], {
      cwd: ctx.root,
      encoding: 'utf8',
      env: { ...env, FORCE_COLOR: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${run.stdout}${run.stderr}`;
    return {
      ok: run.status === 0,
      summary: /^tests: .*$/m.exec(output)?.[0] ?? `jest exited ${run.status}`,
      failed: [...output.matchAll(/^\s+● (.+)$/gm)].map((m) => m[1].trim()),
      output,
    };
  });
}

/** A scratch SQLite database with the monolith's schema and a small deterministic seed (countries included). */
export function seededMonolithDatabase(ctx: CheckContext, scale = 0.01): Promise<string> {
  return ctx.once(`seeded-monolith-${scale}`, async () => {
    ctx.progress('migrating and seeding a scratch monolith database');
    const file = path.join(ctx.tempDir('monolith-db'), 'monolith.sqlite');
    const db = openDatabase(parseDatabaseUrl(`sqlite:${file}`, 'monolith'));
    try {
      await migrateLatest(db, 'legacy-monolith');
      await seedDatabase(db, { scale, progress: false });
    } finally {
      await db.destroy();
    }
    return `sqlite:${file}`;
  });
}

/** The monolith on 127.0.0.1:0 over a scratch database; stopped when the check ends. */
export async function startScratchMonolith(
  ctx: CheckContext,
  databaseUrl: string,
): Promise<{ url: string }> {
  const monolith = await startMonolith(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }),
    { logger: createLogger('legacy-monolith', { level: 'silent' }) },
  );
  ctx.defer(() => monolith.close());
  return { url: monolith.url };
}

/** "a, b and 3 more" */
export function listSome(items: readonly string[], max = 4): string {
  if (items.length <= max) return items.join('; ');
  return `${items.slice(0, max).join('; ')} and ${items.length - max} more`;
}
