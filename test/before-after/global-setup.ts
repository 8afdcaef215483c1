import type { Engine } from '../../common/src/database';
import { redactUrl } from '../../common/src/database';
import { findNginx, INSTALL_HINT } from '../../strangler-proxy/src/nginx';
import { PG_ADMIN_URL, probePostgres } from '../../common/src/scratch-database';
import { type Mode, type RunningStack, startStack } from './stack';

// necessary because knex loads migration files with a plain require at run time,
// outside jest's transform: tsx compiles them in this (the parent) process.
require('tsx/cjs');

const stacks: RunningStack[] = ((globalThis as Record<string, unknown>).__beforeAfterStacks ??=
  []) as RunningStack[];

/**
 * Starts the stack of one mode on one engine unless TARGET_URL points at one
 * already, and publishes its URL to the test workers through the environment
 * (`BEFORE_AFTER_URL_<mode>`; workers start after every global setup).
 */
export async function setUpMode(mode: Mode, engine: Engine, key: string = mode): Promise<void> {
  if (process.env.TARGET_URL) return;
  const envKey = key.replace(/-/g, '_');
  if (mode === 'after-nginx' && !findNginx()) {
    const reason = `nginx is not installed (${INSTALL_HINT})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
    process.stderr.write(`\n[before/after] ${key}: skipped, ${reason}\n`);
    process.env[`BEFORE_AFTER_SKIP_${envKey}`] = reason;
    return;
  }
  if (engine === 'postgres') {
    const failure = await probePostgres();
    if (failure) {
      const reason = `PostgreSQL unreachable at ${redactUrl(PG_ADMIN_URL)}: ${failure}`;
      if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
      process.stderr.write(`\n[before/after] ${key}: skipped, ${reason}\n`);
      process.env[`BEFORE_AFTER_SKIP_${envKey}`] = reason;
      return;
    }
  }
  const stack = await startStack(mode, engine);
  stacks.push(stack);
  process.env[`BEFORE_AFTER_URL_${envKey}`] = stack.url;
  process.stderr.write(`\n[before/after] ${key}: ${stack.describe}\n`);
}

/** The before/after modes, one jest project each: the project's name says the stack and the engine. */
export const MODES = [
  'before',
  'before-postgres',
  'after',
  'after-canary',
  'after-postgres',
  'after-nginx',
] as const;

/** The projects named after a jest flag (`--selectProjects a b`, `--selectProjects=a`). */
function projectsAfter(flag: string, argv: readonly string[]): string[] | undefined {
  const names: string[] = [];
  let found = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith(`${flag}=`)) {
      found = true;
      names.push(argv[i].slice(flag.length + 1));
    } else if (argv[i] === flag) {
      found = true;
      while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) names.push(argv[++i]);
    }
  }
  return found ? names : undefined;
}

/**
 * Jest's global setup, shared by the before/after projects. Jest runs a
 * global setup module once per run however many projects name it, and does not
 * say which projects run, so this one reads the selection from the command line
 * (--selectProjects, --ignoreProjects; all of them otherwise) and starts the stack of
 * each selected before/after project, named like it: `after-postgres` is the
 * after stack on PostgreSQL.
 */
export default async function setUpSelectedModes(): Promise<void> {
  const selected = projectsAfter('--selectProjects', process.argv);
  const ignored = projectsAfter('--ignoreProjects', process.argv) ?? [];
  for (const name of MODES) {
    if (selected && !selected.includes(name)) continue;
    if (ignored.includes(name)) continue;
    const engine: Engine = name.endsWith('-postgres') ? 'postgres' : 'sqlite';
    await setUpMode(name.replace(/-postgres$/, '') as Mode, engine, name);
  }
}

export async function tearDownAll(): Promise<void> {
  const problems: string[] = [];
  while (stacks.length > 0) {
    const stack = stacks.pop()!;
    try {
      if (stack.verify) process.stderr.write(`[before/after] ${await stack.verify()}\n`);
    } catch (error) {
      problems.push((error as Error).message);
    } finally {
      await stack.stop();
    }
  }
  if (problems.length > 0) throw new Error(`before/after: ${problems.join('; ')}`);
}
