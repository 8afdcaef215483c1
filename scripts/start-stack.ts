import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR, openDatabase, parseDatabaseUrl } from '../common/src/database';
import { migrateLatest } from '../common/src/migrate';
import { PROJECT_ROOT } from '../common/src/project-root';
import { compiledScript, ensureCompiled } from '../common/src/compiled-build';
import { backfillFlow } from '../data-movement/src/backfill';
import { openOwnedFlow } from '../data-movement/src/owned-flow';
import { loadSpec } from '../data-movement/src/spec/load-spec';
import { isDatabaseEmpty, seedDatabase } from '../legacy-monolith/seed/seed-database';
import {
  declareDemoSubscriptions,
  demoBrokerEnv,
  eventMembers,
  readEventPorts,
} from './start-events';
import { preflightDemoStack } from './stack-preflight';
import { type StackMember, StackSupervisor } from './stack-supervisor';

const LOG_DIR = path.join(DATA_DIR, 'logs');

/** One process of the demo stack. Later components add themselves to `demoStack()`. */
/**
 * The demo: the monolith, both extracted services (their data backfilled from
 * the monolith and kept in sync by change capture), and the proxy in front,
 * every route to the monolith until you flip one.
 */
export interface DemoPorts {
  monolith: number;
  catalog: number;
  finance: number;
  proxy: number;
  admin: number;
}

export const DEFAULT_PORTS: DemoPorts = {
  monolith: 3000,
  catalog: 4001,
  finance: 4002,
  proxy: 8080,
  admin: 8081,
};

export function demoStack(
  adminToken: string,
  ports: DemoPorts = DEFAULT_PORTS,
  routesFile?: string,
): StackMember[] {
  const at = (port: number) => `http://127.0.0.1:${port}`;
  return [
    {
      name: 'monolith',
      script: 'legacy-monolith/src/main.ts',
      env: { PORT: String(ports.monolith), ...demoBrokerEnv() },
      url: at(ports.monolith),
      healthUrl: `${at(ports.monolith)}/health`,
    },
    {
      name: 'catalog-service',
      script: 'extracted/catalog-service/src/main.ts',
      env: { CATALOG_PORT: String(ports.catalog) },
      url: at(ports.catalog),
      healthUrl: `${at(ports.catalog)}/health`,
    },
    {
      name: 'finance-service',
      script: 'extracted/finance-service/src/main.ts',
      env: { FINANCE_PORT: String(ports.finance), CATALOG_SERVICE_URL: at(ports.catalog) },
      url: at(ports.finance),
      healthUrl: `${at(ports.finance)}/health`,
    },
    {
      name: 'catalog-sync',
      script: 'scripts/strangler.ts',
      args: [
        'data',
        'sync',
        'catalog',
        '--follow',
        ...(routesFile ? ['--routes', routesFile] : []),
      ],
      env: {},
    },
    {
      name: 'finance-sync',
      script: 'scripts/strangler.ts',
      args: [
        'data',
        'sync',
        'finance',
        '--follow',
        ...(routesFile ? ['--routes', routesFile] : []),
      ],
      env: {},
    },
    {
      name: 'proxy',
      script: 'strangler-proxy/src/main.ts',
      env: {
        PROXY_PORT: String(ports.proxy),
        PROXY_ADMIN_PORT: String(ports.admin),
        STRANGLER_ADMIN_TOKEN: adminToken,
        PROCESS_MONITOR_URL: `http://127.0.0.1:${readEventPorts().monitor}`,
        ...(routesFile ? { ROUTES_FILE: routesFile } : {}),
      },
      url: at(ports.proxy),
      healthUrl: `${at(ports.admin)}/healthz`,
      notes: [
        `admin API     ${at(ports.admin)} (Authorization: Bearer <token below>)`,
        process.env.STRANGLER_ADMIN_TOKEN
          ? `admin token   ${adminToken} (from STRANGLER_ADMIN_TOKEN)`
          : `admin token   ${adminToken} (new every start; set STRANGLER_ADMIN_TOKEN to choose one)`,
        'flip reads    npx strangler flip catalog-read --to catalog-service [--percent 10]',
        'move writes   STRANGLER_ADMIN_TOKEN=<admin token> npx strangler data handover catalog --to catalog-service',
      ],
    },
    ...eventMembers(),
  ];
}

/** Copies each data set of data-movement.yaml from its owner (resumable; a no-op when already done). */
async function backfillDataSets(routesFile?: string): Promise<void> {
  for (const set of loadSpec().sets.values()) {
    const owned = await openOwnedFlow(set, {}, routesFile);
    try {
      await backfillFlow(owned.endpoints, owned.flow);
    } finally {
      await owned.open.close();
    }
  }
}

async function prepareMonolithDatabase(scale: number): Promise<void> {
  const db = openDatabase(parseDatabaseUrl(process.env.DATABASE_URL, 'monolith'));
  try {
    await migrateLatest(db, 'legacy-monolith');
    if (await isDatabaseEmpty(db)) {
      const result = await seedDatabase(db, { scale });
      process.stdout.write(
        `seeded the monolith database: ${result.rows.toLocaleString('en-US')} rows in ${result.seconds.toFixed(1)}s\n`,
      );
    }
  } finally {
    await db.destroy();
  }
}

function spawnMember(member: StackMember): ChildProcess {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const log = fs.openSync(path.join(LOG_DIR, `${member.name}.log`), 'a');
  // Compiled JavaScript (ensureCompiled ran first): no TypeScript compiler in nine processes.
  return spawn(
    process.execPath,
    ['--enable-source-maps', compiledScript(member.script), ...(member.args ?? [])],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...member.env },
      stdio: ['ignore', log, 'pipe'],
    },
  );
}

async function waitHealthy(
  member: StackMember,
  child: ChildProcess,
  timeoutMs = 60000,
): Promise<void> {
  if (!member.healthUrl) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `${member.name} exited with code ${child.exitCode}; see ${path.join(LOG_DIR, `${member.name}.log`)}`,
      );
    try {
      const res = await fetch(member.healthUrl);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${member.name} did not answer ${member.healthUrl} within ${timeoutMs / 1000}s; see ${LOG_DIR}`,
  );
}

/**
 * Starts the demo stack: migrates and seeds the monolith database if it is
 * empty, starts every member as a child process, waits until each answers its
 * health check, prints the URLs, and stops them all on Ctrl-C.
 */
export async function startDemoStack(options: {
  scale: number;
  ports?: DemoPorts;
  routesFile?: string;
}): Promise<void> {
  const ports = options.ports ?? DEFAULT_PORTS;
  const events = readEventPorts();
  const say = (line: string) => process.stderr.write(`[stack] ${line}\n`);
  // Before anything else: a second `npm start` must not touch the databases or print a token.
  const lock = await preflightDemoStack(
    DATA_DIR,
    {
      monolith: ports.monolith,
      'catalog-service': ports.catalog,
      'finance-service': ports.finance,
      proxy: ports.proxy,
      'proxy admin': ports.admin,
      'reporting-service': events.reporting,
      'process monitor': events.monitor,
    },
    say,
  );
  // SECURITY: the admin token is never stored in the repo; a fresh random one per start unless the user sets one.
  const adminToken = process.env.STRANGLER_ADMIN_TOKEN || randomBytes(24).toString('hex');
  const members = demoStack(adminToken, ports, options.routesFile);
  try {
    ensureCompiled(
      say,
      members.map((member) => member.script),
    );
    await prepareMonolithDatabase(options.scale);
    await backfillDataSets(options.routesFile);
    await declareDemoSubscriptions();
  } catch (error) {
    lock.release();
    throw error;
  }
  let stopping = false;
  const supervisor: StackSupervisor<StackMember> = new StackSupervisor<StackMember>({
    spawn: (member) => {
      const child = spawnMember(member);
      child.stderr?.on('data', (chunk: Buffer) =>
        process.stderr.write(`[${member.name}] ${chunk}`),
      );
      return child;
    },
    log: (line) => say(`${new Date().toISOString()} ${line}`),
    onStartupExit: (member, how) => {
      say(`${member.name} stopped while the stack was starting (${how}); stopping the others`);
      void shutdown(1);
    },
    onRestart: (member, child) => {
      waitHealthy(member, child).then(
        () => say(`${new Date().toISOString()} ${member.name} is serving again`),
        (error) => say(`${member.name} did not come back: ${(error as Error).message}`),
      );
    },
  });
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping the demo stack…\n');
    await supervisor.stop();
    lock.release();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  for (const member of members) supervisor.start(member);
  try {
    await Promise.all(members.map((m) => waitHealthy(m, supervisor.child(m.name)!)));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    await shutdown(1);
    return;
  }
  supervisor.superviseFromNowOn();
  process.stdout.write('\nstrangler-kit demo stack is up:\n');
  for (const member of members) {
    process.stdout.write(`  ${member.name.padEnd(18)} ${member.url ?? 'running (logs below)'}\n`);
    for (const note of member.notes ?? []) process.stdout.write(`  ${''.padEnd(18)} ${note}\n`);
  }
  const front = members.find((m) => m.name === 'proxy')?.url ?? members[0].url;
  process.stdout.write(
    `  logs               ${LOG_DIR}\n\ntry: curl ${front}/catalog/albums\nA member that crashes is restarted (with backoff); Ctrl-C stops everything.\n`,
  );
}
