import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR, openDatabase, parseDatabaseUrl } from '../common/src/database';
import { migrateLatest } from '../common/src/migrate';
import { isDatabaseEmpty, seedDatabase } from '../legacy-monolith/seed/seed-database';

const ROOT = path.resolve(__dirname, '..');
const LOG_DIR = path.join(DATA_DIR, 'logs');

/** One process of the demo stack. Later components add themselves to `demoStack()`. */
export interface StackMember {
  name: string;
  script: string;
  env: Record<string, string>;
  url: string;
  healthPath: string;
  /** Extra lines printed once the member is up (e.g. an admin URL). */
  notes?: string[];
}

export function demoStack(): StackMember[] {
  return [
    {
      name: 'monolith',
      script: 'legacy-monolith/src/main.ts',
      env: { PORT: '3000' },
      url: 'http://127.0.0.1:3000',
      healthPath: '/health',
    },
  ];
}

async function prepareMonolithDatabase(scale: number): Promise<void> {
  const db = openDatabase(parseDatabaseUrl(process.env.DATABASE_URL, 'monolith'));
  try {
    await migrateLatest(db, 'legacy-monolith');
    if (await isDatabaseEmpty(db)) {
      const result = await seedDatabase(db, { scale });
      process.stdout.write(`seeded the monolith database: ${result.rows.toLocaleString('en-US')} rows in ${result.seconds.toFixed(1)}s\n`);
    }
  } finally {
    await db.destroy();
  }
}

function spawnMember(member: StackMember): ChildProcess {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const log = fs.openSync(path.join(LOG_DIR, `${member.name}.log`), 'a');
  return spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, member.script)], {
    cwd: ROOT,
    env: { ...process.env, ...member.env },
    stdio: ['ignore', log, 'pipe'],
  });
}

async function waitHealthy(member: StackMember, child: ChildProcess, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${member.name} exited with code ${child.exitCode}; see ${path.join(LOG_DIR, `${member.name}.log`)}`);
    try {
      const res = await fetch(`${member.url}${member.healthPath}`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${member.name} did not answer ${member.url}${member.healthPath} within ${timeoutMs / 1000}s; see ${LOG_DIR}`);
}

function stopAll(children: Map<string, ChildProcess>): Promise<void> {
  const exits = [...children.values()].filter((c) => c.exitCode === null && c.signalCode === null).map((child) => new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(force); resolve(); });
    child.kill('SIGTERM');
  }));
  return Promise.all(exits).then(() => undefined);
}

/**
 * Starts the demo stack: migrates and seeds the monolith database if it is
 * empty, starts every member as a child process, waits until each answers its
 * health check, prints the URLs, and stops them all on Ctrl-C.
 */
export async function startDemoStack(options: { scale: number; members?: StackMember[] }): Promise<void> {
  await prepareMonolithDatabase(options.scale);
  const members = options.members ?? demoStack();
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping the demo stack…\n');
    await stopAll(children);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  for (const member of members) {
    const child = spawnMember(member);
    children.set(member.name, child);
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${member.name}] ${chunk}`));
    child.on('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(`${member.name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the others\n`);
        void shutdown(1);
      }
    });
  }
  try {
    await Promise.all(members.map((m) => waitHealthy(m, children.get(m.name)!)));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    await shutdown(1);
    return;
  }
  process.stdout.write('\nstrangler-kit demo stack is up:\n');
  for (const member of members) {
    process.stdout.write(`  ${member.name.padEnd(18)} ${member.url}\n`);
    for (const note of member.notes ?? []) process.stdout.write(`  ${''.padEnd(18)} ${note}\n`);
  }
  process.stdout.write(`  logs               ${LOG_DIR}\n\ntry: curl ${members[0].url}/catalog/albums\nCtrl-C stops everything.\n`);
}
