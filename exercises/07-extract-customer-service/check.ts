import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { openDatabase, parseDatabaseUrl } from '../../common/src/database';
import { resolveOwner } from '../../data-movement/src/ownership';
import { findDataSet, loadSpec } from '../../data-movement/src/spec/load-spec';
import { analyseSeams } from '../../seams/src';
import { loadRoutesFile } from '../../strangler-proxy/src/config';
import { type CheckContext, defineCheck, fail, pass } from '../runner/check-kit';
import { listSome, seededMonolithDatabase, startScratchMonolith } from '../runner/check-tools';
import {
  ROUTES_FILE,
  type ScratchProxy,
  scratchRoutes,
  startScratchProxy,
} from '../runner/proxy-tools';

const SERVICE = 'customer-service';
const SET = 'customers';
const SERVICE_MAIN = path.join('extracted', SERVICE, 'src', 'main.ts');
const SERVICE_CONFIG = path.join('extracted', SERVICE, 'src', 'config.ts');
const SPEC_FILE = 'data-movement.yaml';
const SAMPLE = 5;

interface RunningService {
  url: string;
  databaseUrl: string;
}

/** The learner's customer-service, started from its factory on port 0 over a scratch SQLite file. */
function startService(ctx: CheckContext): Promise<RunningService | string> {
  return ctx.once('service', async () => {
    for (const file of [SERVICE_MAIN, SERVICE_CONFIG])
      if (!fs.existsSync(path.join(ctx.root, file))) return `there is no ${file}`;
    // necessary because the CLI runs through tsx's CommonJS hook, which compiles .ts on require only.
    const main = require(path.join(ctx.root, SERVICE_MAIN)) as {
      startCustomerService?: (config: unknown) => Promise<{ url: string; close(): Promise<void> }>;
    };
    const config = require(path.join(ctx.root, SERVICE_CONFIG)) as {
      loadConfig?: (env: Record<string, string>) => unknown;
    };
    if (typeof main.startCustomerService !== 'function' || typeof config.loadConfig !== 'function')
      return `${SERVICE_MAIN} must export startCustomerService(config) and ${SERVICE_CONFIG} loadConfig(env)`;
    ctx.progress(`starting ${SERVICE} on a scratch database`);
    const databaseUrl = `sqlite:${path.join(ctx.tempDir(SERVICE), `${SERVICE}.sqlite`)}`;
    const service = await main.startCustomerService(
      config.loadConfig({
        CUSTOMER_PORT: '0',
        CUSTOMER_HOST: '127.0.0.1',
        CUSTOMER_DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'silent',
      }),
    );
    ctx.defer(() => service.close());
    return { url: service.url, databaseUrl };
  });
}

interface CommandRun {
  code: number | null;
  output: string;
}

/** `npx strangler data <args>` in the tree being checked, in a process of its own (as the learner runs it). */
function runData(ctx: CheckContext, args: string[], env: Record<string, string> = {}) {
  return new Promise<CommandRun>((resolve, reject) => {
    if (!fs.existsSync(path.join(ctx.root, 'node_modules', 'tsx')))
      throw Object.assign(new Error('tsx is not installed in this clone: run npm install first'), {
        code: 'ERR_EXERCISE_ENVIRONMENT',
      });
    const child = spawn(
      process.execPath,
      ['-r', 'tsx/cjs', path.join(ctx.root, 'scripts', 'strangler.ts'), 'data', ...args],
      {
        cwd: ctx.root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          DATABASE_URL: '',
          CUSTOMER_DATABASE_URL: '',
          FORCE_COLOR: '0',
          ...env,
        },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: output.trim() }));
  });
}

const lastLines = (text: string, n = 6) => text.split('\n').slice(-n).join(' | ');

interface World {
  service: RunningService;
  monolith: { url: string; databaseUrl: string };
  proxy: ScratchProxy;
  /** --spec, --source and --target of every data command the check runs. */
  dataArgs: string[];
}

/**
 * The extraction replayed on scratch databases, as the learner ran it: the monolith
 * and customer-service, a copy of the spec and of the routes file pointed at them,
 * with the monolith still owning the customers (where a handover starts from).
 */
function world(ctx: CheckContext): Promise<World | string> {
  return ctx.once('world', async () => {
    const service = await startService(ctx);
    if (typeof service === 'string') return service;
    const monolithDb = await seededMonolithDatabase(ctx);
    const monolith = await startScratchMonolith(ctx, monolithDb);
    const dir = ctx.tempDir('spec');
    const spec = parseDocument(fs.readFileSync(path.join(ctx.root, SPEC_FILE), 'utf8'));
    if (!spec.hasIn(['dataSets', SET]))
      return `${SPEC_FILE} has no data set "${SET}" (it has: ${Object.keys((spec.toJS() as { dataSets?: object }).dataSets ?? {}).join(', ') || 'none'})`;
    const doc = scratchRoutes(ctx, { monolith: monolith.url, [SERVICE]: service.url });
    // Where a handover starts: the monolith owns the customers and takes their writes.
    if (doc.hasIn(['dataSets', SET])) doc.setIn(['dataSets', SET, 'owner'], 'monolith');
    const routes = (doc.toJS() as { routes?: Array<{ writes?: string }> }).routes ?? [];
    for (const [index, route] of routes.entries())
      if (route.writes === SET) doc.setIn(['routes', index, 'to'], 'monolith');
    spec.setIn(['dataSets', SET, 'owner'], 'monolith');
    // The proxy writes the owner into its routes file at the handover; the spec follows that file.
    const proxy = await startScratchProxy(ctx, doc);
    spec.set('routes', proxy.routesFile);
    // The copy lives elsewhere: migration folders stay those of the tree.
    for (const name of Object.keys((spec.toJS() as { dataSets: object }).dataSets))
      for (const side of ['source', 'target']) {
        const folder = spec.getIn(['dataSets', name, side, 'migrations']);
        if (typeof folder === 'string')
          spec.setIn(['dataSets', name, side, 'migrations'], path.resolve(ctx.root, folder));
      }
    const specFile = path.join(dir, SPEC_FILE);
    fs.writeFileSync(specFile, spec.toString());
    return {
      service,
      monolith: { url: monolith.url, databaseUrl: monolithDb },
      proxy,
      dataArgs: ['--spec', specFile, '--source', monolithDb, '--target', service.databaseUrl],
    };
  });
}

async function withDatabase<T>(
  url: string,
  work: (db: ReturnType<typeof openDatabase>) => Promise<T>,
) {
  const db = openDatabase(parseDatabaseUrl(url, 'check'));
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** Requests the proxy sent to customer-service so far (its Prometheus counters). */
async function servedByService(proxy: ScratchProxy): Promise<number> {
  const text = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(
    /^strangler_proxy_requests_total\{[^}]*upstream="([^"]+)"[^}]*\} (\d+)/gm,
  ))
    if (match[1] === SERVICE) total += Number(match[2]);
  return total;
}

async function getJson(url: string, headers: Record<string, string> = {}) {
  const answer = await fetch(url, { headers });
  return { status: answer.status, body: await answer.text() };
}

const NOT_STARTED = `create extracted/${SERVICE} in the shape of extracted/catalog-service: src/main.ts exporting startCustomerService(config), src/config.ts exporting loadConfig(env) (CUSTOMER_PORT, CUSTOMER_DATABASE_URL), and migrations/${SERVICE}`;

export default defineCheck({
  criteria: [
    {
      title: `${SERVICE} starts on a database of its own and answers GET /health`,
      async verify(ctx) {
        const service = await startService(ctx);
        if (typeof service === 'string') return fail(service, NOT_STARTED);
        const health = await getJson(`${service.url}/health`);
        if (health.status !== 200)
          return fail(
            `GET /health on ${SERVICE} answered ${health.status}`,
            'use reportServiceVersion from common/src/service-version.ts as catalog-service does',
          );
        return pass(health.body);
      },
    },
    {
      title: `the ${SET} data set is in ${SPEC_FILE}; after \`data backfill ${SET}\`, \`data verify ${SET}\` is clean`,
      async verify(ctx) {
        const w = await world(ctx);
        if (typeof w === 'string')
          return fail(
            w,
            `add a "${SET}" data set to ${SPEC_FILE} (the catalog set shows the shape): source the monolith, target ${SERVICE} with migrations/${SERVICE}, the customer context's tables parents first`,
          );
        ctx.progress(`npx strangler data backfill ${SET} (scratch databases)`);
        const backfill = await runData(ctx, ['backfill', SET, ...w.dataArgs]);
        if (backfill.code !== 0)
          return fail(
            `data backfill ${SET} exited ${backfill.code}: ${lastLines(backfill.output)}`,
            `run npx strangler data backfill ${SET} yourself and fix what it names (${SPEC_FILE}, migrations/${SERVICE})`,
          );
        ctx.progress(`npx strangler data verify ${SET}`);
        const verify = await runData(ctx, ['verify', SET, ...w.dataArgs]);
        if (verify.code !== 0)
          return fail(
            `data verify ${SET} exited ${verify.code} after a backfill: ${lastLines(verify.output)}`,
            `the columns the spec names must exist on both sides: compare migrations/${SERVICE} with the monolith's customer tables`,
          );
        const copied = await withDatabase(w.service.databaseUrl, (db) =>
          db('customers').count({ n: '*' }).first(),
        );
        if (!Number(copied?.n))
          return fail(
            `the backfill copied no customers into ${SERVICE}'s database`,
            `list the customers table in the ${SET} data set`,
          );
        return pass(`${copied?.n} customers copied, verify clean`);
      },
    },
    {
      title: `GET /customers/:id through the proxy is served by ${SERVICE} and equals the monolith's answer`,
      async verify(ctx) {
        const w = await world(ctx);
        if (typeof w === 'string') return fail(w, `see the criteria above`);
        const ids = await withDatabase(w.monolith.databaseUrl, (db) =>
          db('customers').orderBy('id').limit(SAMPLE).pluck('id'),
        );
        const paths = ids.flatMap((id) => [`/customers/${id}`, `/customers/${id}/loyalty`]);
        const before = await servedByService(w.proxy);
        const differ: string[] = [];
        for (const [i, p] of paths.entries()) {
          // different sticky cohorts: a canary below 100 % would send some of them to the monolith
          const viaProxy = await getJson(`${w.proxy.url}${p}`, { 'x-customer-id': String(i + 1) });
          const direct = await getJson(`${w.monolith.url}${p}`);
          if (viaProxy.status !== direct.status || viaProxy.body !== direct.body)
            differ.push(
              `${p}: proxy ${viaProxy.status} ${viaProxy.body.slice(0, 80)} ≠ monolith ${direct.status} ${direct.body.slice(0, 80)}`,
            );
        }
        const served = (await servedByService(w.proxy)) - before;
        if (served < paths.length)
          return fail(
            `${SERVICE} served ${served} of ${paths.length} GETs on /customers through the proxy`,
            `in ${ROUTES_FILE}, add upstream ${SERVICE} and a read route for /customers (match.methods: [GET, HEAD]) to ${SERVICE}, then flip it to 100 %`,
          );
        if (differ.length > 0)
          return fail(
            `${SERVICE} answers differently from the monolith: ${listSome(differ, 2)}`,
            `copy the monolith's customer answers exactly (legacy-monolith/src/customer/service.ts)`,
          );
        return pass(`${paths.length} reads served by ${SERVICE}, the same as the monolith's`);
      },
    },
    {
      title: `after \`data handover ${SET} --to ${SERVICE}\`, a POST /customers through the proxy lands in ${SERVICE}'s database and, by the reverse sync, in the monolith's`,
      async verify(ctx) {
        const w = await world(ctx);
        if (typeof w === 'string') return fail(w, `see the criteria above`);
        ctx.progress(`npx strangler data handover ${SET} --to ${SERVICE}`);
        const handover = await runData(
          ctx,
          ['handover', SET, '--to', SERVICE, ...w.dataArgs, '--admin-url', w.proxy.adminUrl],
          { STRANGLER_ADMIN_TOKEN: w.proxy.adminToken },
        );
        if (handover.code !== 0)
          return fail(
            `data handover ${SET} exited ${handover.code}: ${lastLines(handover.output)}`,
            `the routes file needs dataSets: { ${SET}: { owner: monolith } } and a route for /customers with writes: ${SET}`,
          );
        const email = `check-${Date.now()}@example.com`;
        const answer = await fetch(`${w.proxy.url}/customers`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, name: 'Checked Customer', countryCode: 'gb' }),
        });
        const created = (await answer.json().catch(() => ({}))) as { id?: number };
        if (answer.status !== 201 || !created.id)
          return fail(
            `POST /customers through the proxy after the handover answered ${answer.status} ${JSON.stringify(created).slice(0, 160)}`,
            `${SERVICE} must take sign-ups as the monolith does (POST /customers)`,
          );
        const inService = await withDatabase(w.service.databaseUrl, (db) =>
          db('customers').where({ id: created.id }).first(),
        );
        if (inService?.email !== email)
          return fail(
            `customer ${created.id} (${email}) is not in ${SERVICE}'s database: the write went elsewhere`,
            `give the /customers route of ${ROUTES_FILE} writes: ${SET}, so writes follow the data set's owner`,
          );
        ctx.progress(`npx strangler data sync ${SET} (now ${SERVICE} → monolith)`);
        const sync = await runData(ctx, ['sync', SET, ...w.dataArgs]);
        if (sync.code !== 0)
          return fail(
            `data sync ${SET} after the handover exited ${sync.code}: ${lastLines(sync.output)}`,
            `run it yourself: npx strangler data sync ${SET}`,
          );
        const direct = await getJson(`${w.monolith.url}/customers/${created.id}`);
        const tables = await withDatabase(w.monolith.databaseUrl, async (db) => ({
          loyalty: await db('loyalty_accounts').where({ customer_id: created.id }).first(),
        }));
        if (direct.status !== 200 || !direct.body.includes(email))
          return fail(
            `the monolith does not know customer ${created.id} after the reverse sync (GET answered ${direct.status})`,
            `list the customers table in the ${SET} data set`,
          );
        if (!tables.loyalty)
          return fail(
            `customer ${created.id} reached the monolith without a loyalty account`,
            `${SERVICE} opens the loyalty account at sign-up as the monolith does, and the ${SET} data set moves loyalty_accounts too`,
          );
        return pass(`customer ${created.id} created in ${SERVICE}, synced back to the monolith`);
      },
    },
    {
      title: `${ROUTES_FILE} says ${SERVICE} owns the ${SET}, and ${SPEC_FILE} agrees`,
      async verify(ctx) {
        const routes = loadRoutesFile(path.join(ctx.root, ROUTES_FILE));
        const owner = routes.dataSets?.[SET]?.owner;
        if (owner !== SERVICE)
          return fail(
            `${ROUTES_FILE} says the ${SET} are owned by ${owner ?? 'nobody (no dataSets entry)'}`,
            `run npx strangler data handover ${SET} --to ${SERVICE} against your running stack (npm start, plus ${SERVICE})`,
          );
        try {
          const set = findDataSet(loadSpec(path.join(ctx.root, SPEC_FILE)), SET);
          return pass(`owner ${resolveOwner(set).owner} in both files`);
        } catch (error) {
          return fail(
            (error as Error).message,
            `a finished handover writes the owner into both files: re-run npx strangler data handover ${SET} --to ${SERVICE}`,
          );
        }
      },
    },
    {
      title: `${SERVICE} imports neither the monolith nor another service (the kit's seam rules)`,
      async verify(ctx) {
        if (!fs.existsSync(path.join(ctx.root, 'extracted', SERVICE)))
          return fail(`there is no extracted/${SERVICE}`, NOT_STARTED);
        ctx.progress('strangler seams with seams/rules/self.yaml');
        const report = await analyseSeams({
          root: ctx.root,
          config: path.join(ctx.root, 'seams', 'rules', 'self.yaml'),
          failOn: 'rules',
          format: ['json'],
          cache: false,
        });
        const mine = report.ruleViolations.filter((v) =>
          v.file.startsWith(`extracted/${SERVICE}/`),
        );
        if (mine.length > 0)
          return fail(
            `${listSome(
              mine.map((v) => `${v.file}:${v.line} → ${v.target} (${v.rule})`),
              3,
            )}`,
            `copy the little code the service needs into extracted/${SERVICE} (common/ helpers are fine)`,
          );
        return pass();
      },
    },
  ],
});
