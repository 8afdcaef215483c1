import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Knex } from 'knex';
import { openDatabase, parseDatabaseUrl } from '../../common/src/database';
import { createLogger } from '../../common/src/logger';
import type { ProcessSummary } from '../../events/src/monitor/process-monitor';
import { loadConfig } from '../../legacy-monolith/src/config';
import { type RunningMonolith, startMonolith } from '../../legacy-monolith/src/main';
import { type CheckContext, defineCheck, fail, pass } from '../runner/check-kit';
import { listSome, monolithReport, seededMonolithDatabase } from '../runner/check-tools';
import { scratchRoutes, startScratchProxy } from '../runner/proxy-tools';

const PAUSED = 'welcome-email';
const OTHERS_PAUSED = 'loyalty-account,postal-welcome-pack';
const PROCESS = 'customer-onboarding';
const STEP_TABLES = {
  loyalty: 'loyalty_accounts',
  email: 'welcome_emails',
  postal: 'postal_welcome_packs',
} as const;
const WAIT_MS = 15_000;

interface SignUp {
  id: number;
  correlationId: string;
  status: number;
  body: string;
}

interface Stack {
  db: Knex;
  /** Sign-ups go through a scratch strangler proxy, as a customer's would. */
  proxyUrl: string;
  monolithPort: number;
  databaseUrl: string;
  brokerUrl: string;
  monitorUrl: string;
  monolith: RunningMonolith;
  first: SignUp;
  /** Signed up while loyalty-account and postal-welcome-pack were down. */
  second?: SignUp;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  ms = WAIT_MS,
): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await sleep(100);
  }
}

async function rows(db: Knex, table: string, customerId: number): Promise<number> {
  const [row] = await db(table).where({ customer_id: customerId }).count({ n: '*' });
  return Number(row?.n ?? 0);
}

async function signUp(url: string, label: string): Promise<SignUp> {
  const correlationId = `exercise-11-${label}-${randomUUID().slice(0, 8)}`;
  const response = await fetch(`${url}/customers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
    body: JSON.stringify({
      email: `${label}-${correlationId.slice(-8)}@example.com`,
      name: `Exercise ${label}`,
      countryCode: 'GB',
    }),
  });
  const body = await response.text();
  let id = Number.NaN;
  try {
    id = Number((JSON.parse(body) as { id?: unknown }).id);
  } catch {}
  return { id, correlationId, status: response.status, body: body.slice(0, 200) };
}

/** The monolith on `port` (0 the first time; then the same port, where the proxy expects it). */
function monolithOn(
  stack: Pick<Stack, 'databaseUrl' | 'brokerUrl' | 'monolithPort'>,
  paused: string,
  port = stack.monolithPort,
) {
  return startMonolith(
    loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: stack.databaseUrl,
      LOG_LEVEL: 'silent',
      EVENTS_BROKER_URL: stack.brokerUrl,
      EVENTS_PAUSED_CONSUMERS: paused,
    }),
    { logger: createLogger('legacy-monolith', { level: 'silent' }) },
  );
}

/**
 * The process monitor in a process of its own, as `npm start` runs it: the monolith and the
 * monitor each hold connections to the one broker file, and SQLite waits for a lock by blocking
 * the process that asks for it.
 */
function startMonitorProcess(ctx: CheckContext, brokerUrl: string): Promise<string> {
  if (!fs.existsSync(path.join(ctx.root, 'node_modules', 'tsx')))
    throw Object.assign(new Error('tsx is not installed in this clone: run npm install first'), {
      code: 'ERR_EXERCISE_ENVIRONMENT',
    });
  const child = spawn(
    process.execPath,
    ['-r', 'tsx/cjs', path.join(ctx.root, 'events', 'src', 'monitor', 'main.ts')],
    {
      cwd: ctx.root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        MONITOR_PORT: '0',
        MONITOR_HOST: '127.0.0.1',
        MONITOR_DATABASE_URL: `sqlite:${path.join(ctx.tempDir('monitor'), 'monitor.sqlite')}`,
        MONITOR_PROCESSES_FILE: path.join(ctx.root, 'legacy-monolith', 'processes.yaml'),
        LOG_LEVEL: 'info',
        EVENTS_BROKER_URL: brokerUrl,
        EVENTS_PAUSED_CONSUMERS: '',
      },
    },
  );
  ctx.defer(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`the process monitor did not start in 60 s: ${output.slice(-500)}`)),
      60_000,
    );
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      output += `${line}\n`;
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'process monitor listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {}
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `the process monitor stopped (exit ${code}) before it listened: ${output.trim().split('\n').slice(-3).join(' ')}`,
        ),
      );
    });
  });
}

/**
 * A seeded scratch monolith on an embedded broker of its own, with the welcome-email consumer
 * down (EVENTS_PAUSED_CONSUMERS), the process monitor on the same broker, and one sign-up.
 */
function stack(ctx: CheckContext): Promise<Stack> {
  return ctx.once('stack', async () => {
    const databaseUrl = await seededMonolithDatabase(ctx);
    const brokerUrl = `sqlite:${path.join(ctx.tempDir('broker'), 'broker.sqlite')}`;
    ctx.progress('starting the process monitor on a scratch broker (port 0)');
    // Started first, so its queue exists before the monolith publishes anything.
    const monitorUrl = await startMonitorProcess(ctx, brokerUrl);
    ctx.progress(`starting the monolith with EVENTS_PAUSED_CONSUMERS=${PAUSED} (port 0)`);
    const monolith = await monolithOn({ databaseUrl, brokerUrl, monolithPort: 0 }, PAUSED);
    const current = { monolith };
    ctx.defer(() => current.monolith.close());
    const monolithPort = Number(new URL(monolith.url).port);
    ctx.progress('starting a strangler proxy in front of it (port 0)');
    const proxy = await startScratchProxy(ctx, scratchRoutes(ctx, { monolith: monolith.url }));
    const db = openDatabase(parseDatabaseUrl(databaseUrl, 'monolith'));
    ctx.defer(() => db.destroy());
    ctx.progress('signing up a customer through the proxy: POST /customers');
    const first = await signUp(proxy.url, 'first');
    return {
      db,
      proxyUrl: proxy.url,
      monolithPort,
      databaseUrl,
      brokerUrl,
      monitorUrl,
      get monolith() {
        return current.monolith;
      },
      set monolith(next: RunningMonolith) {
        current.monolith = next;
      },
      first,
    };
  });
}

async function createdEvent(db: Knex, customerId: number) {
  const events = await db('event_outbox')
    .where({ type: 'customer.created' })
    .select('event_id', 'body');
  for (const row of events) {
    const event = JSON.parse(row.body) as {
      id: string;
      type: string;
      correlationId?: string;
      entity?: { id?: string };
      data?: { customerId?: unknown };
    };
    if (String(event.data?.customerId ?? event.entity?.id) === String(customerId))
      return { event, total: events.length };
  }
  return { event: undefined, total: events.length };
}

const signUpFailed = (signUp: SignUp) =>
  fail(
    `POST /customers answered ${signUp.status} instead of 201: ${signUp.body}`,
    'sign-up must still answer 201 with the new customer; the follow-ups happen after, in the consumers',
  );

export default defineCheck({
  criteria: [
    {
      title:
        'sign-up records customer.created in the outbox with the correlation ID of the request',
      async verify(ctx) {
        const { db, first } = await stack(ctx);
        if (first.status !== 201) return signUpFailed(first);
        const { event, total } = await createdEvent(db, first.id);
        if (!event)
          return fail(
            total === 0
              ? `POST /customers created customer ${first.id} but no customer.created event is in the monolith's outbox (event_outbox)`
              : `${total} customer.created event(s) in the outbox, none with data.customerId ${first.id}`,
            'in CustomerService.createCustomer (legacy-monolith/src/customer/service.ts), inside the sign-up transaction, record the event with recordEvent(trx, …) as warehouse does (legacy-monolith/src/warehouse/events.ts); put customerId, email and countryCode in its data',
          );
        if (event.correlationId !== first.correlationId)
          return fail(
            `customer.created carries correlation ID ${event.correlationId ?? '(none)'}, the request sent ${first.correlationId}`,
            'recordEvent takes the correlation ID of the request for you; an event built with createEvent directly does not',
          );
        return pass(`customer ${first.id}, correlation ID ${first.correlationId}`);
      },
    },
    {
      title:
        'seam 5 is gone: the customer context no longer orchestrates loyalty, e-mail and postal',
      independent: true,
      async verify(ctx) {
        const report = await monolithReport(ctx);
        const found = report.findings.filter(
          (f) => f.kind === 'orchestration' && f.contexts.includes('customer'),
        );
        if (found.length === 0) return pass();
        return fail(
          `strangler seams still finds: ${listSome(found.map((f) => f.title))}`,
          'sign-up should only insert the customer and record customer.created; move each follow-up into its own consumer in legacy-monolith/src/events/consumers.ts (npx strangler seams legacy-monolith/src shows the finding)',
        );
      },
    },
    {
      title: `with ${PAUSED} down, sign-up answers 201 and loyalty and postal still happen`,
      async verify(ctx) {
        const { db, first } = await stack(ctx);
        if (first.status !== 201) return signUpFailed(first);
        ctx.progress('waiting for the loyalty account and the postal pack');
        const missing = await waitFor(async () => {
          const left: string[] = [];
          for (const step of ['loyalty', 'postal'] as const)
            if ((await rows(db, STEP_TABLES[step], first.id)) === 0) left.push(STEP_TABLES[step]);
          return left.length === 0 ? [] : undefined;
        });
        if (!missing) {
          const left: string[] = [];
          for (const step of ['loyalty', 'postal'] as const)
            if ((await rows(db, STEP_TABLES[step], first.id)) === 0) left.push(STEP_TABLES[step]);
          return fail(
            `after ${WAIT_MS / 1000} s customer ${first.id} has no row in ${left.join(' or ')}`,
            'monolithConsumers (legacy-monolith/src/events/consumers.ts) should return consumers named loyalty-account and postal-welcome-pack, subscribed to customer.created',
          );
        }
        if ((await rows(db, STEP_TABLES.email, first.id)) > 0)
          return fail(
            `the welcome e-mail of customer ${first.id} was queued while the ${PAUSED} consumer was down`,
            `sign-up (or another consumer) still queues it; only a consumer named ${PAUSED} should write welcome_emails`,
          );
        return pass(`customer ${first.id}: loyalty account and postal pack, no e-mail yet`);
      },
    },
    {
      title: `once ${PAUSED} is back the e-mail is queued, exactly once even when the event is delivered again`,
      async verify(ctx) {
        const s = await stack(ctx);
        ctx.progress(
          `restarting the monolith with ${PAUSED} running (and ${OTHERS_PAUSED} down for the next criterion)`,
        );
        await s.monolith.close();
        s.monolith = await monolithOn(s, OTHERS_PAUSED);
        const queued = await waitFor(async () =>
          (await rows(s.db, STEP_TABLES.email, s.first.id)) > 0 ? true : undefined,
        );
        if (!queued)
          return fail(
            `after ${WAIT_MS / 1000} s with ${PAUSED} running, customer ${s.first.id} still has no welcome e-mail`,
            `a consumer named ${PAUSED} subscribed to customer.created should queue it; its events waited in its queue while it was down`,
          );
        // As after a relay that crashed between the broker's confirm and marking the row published.
        ctx.progress('marking customer.created unpublished, so the relay publishes it again');
        const { event } = await createdEvent(s.db, s.first.id);
        if (!event)
          return fail(
            'customer.created is gone from the outbox',
            'the outbox keeps published events',
          );
        await s.db('event_outbox').where({ event_id: event.id }).update({ published_at: null });
        await waitFor(async () => {
          const row = await s.db('event_outbox').where({ event_id: event.id }).first();
          return row?.published_at ? true : undefined;
        });
        // A later sign-up's e-mail shows the consumer has moved past the redelivery.
        s.second = await signUp(s.proxyUrl, 'second');
        if (s.second.status !== 201) return signUpFailed(s.second);
        const secondId = s.second.id;
        await waitFor(async () =>
          (await rows(s.db, STEP_TABLES.email, secondId)) > 0 ? true : undefined,
        );
        await sleep(1000);
        const emails = await rows(s.db, STEP_TABLES.email, s.first.id);
        if (emails !== 1)
          return fail(
            `after the same customer.created was delivered twice, customer ${s.first.id} has ${emails} welcome e-mails`,
            'each step must run once per event id: run them as consumers of the events library (startConsumer keeps an inbox in the handler’s transaction), not as a hand-written subscription',
          );
        return pass(`customer ${s.first.id}: one welcome e-mail`);
      },
    },
    {
      title:
        'loyalty and postal are consumers too: with theirs down a sign-up waits for them, and each step runs once',
      async verify(ctx) {
        const s = await stack(ctx);
        const second = s.second!;
        const early = [];
        for (const step of ['loyalty', 'postal'] as const)
          if ((await rows(s.db, STEP_TABLES[step], second.id)) > 0) early.push(STEP_TABLES[step]);
        if (early.length > 0)
          return fail(
            `with ${OTHERS_PAUSED} down, customer ${second.id} got a row in ${early.join(' and ')} anyway`,
            'sign-up (or another consumer) still does that step itself; only its own consumer should',
          );
        ctx.progress('restarting the monolith with every consumer running');
        await s.monolith.close();
        s.monolith = await monolithOn(s, '');
        const caughtUp = await waitFor(async () => {
          for (const step of ['loyalty', 'postal'] as const)
            if ((await rows(s.db, STEP_TABLES[step], second.id)) === 0) return undefined;
          return true;
        });
        if (!caughtUp)
          return fail(
            `after ${WAIT_MS / 1000} s with every consumer running, customer ${second.id} still misses its loyalty account or postal pack`,
            'the events waited in the queues of loyalty-account and postal-welcome-pack: both must subscribe to customer.created',
          );
        await sleep(500);
        const counts = [];
        for (const table of Object.values(STEP_TABLES))
          for (const customer of [s.first, second]) {
            const n = await rows(s.db, table, customer.id);
            if (n !== 1) counts.push(`customer ${customer.id} has ${n} rows in ${table}`);
          }
        if (counts.length > 0)
          return fail(
            `${counts.join('; ')} (customer ${s.first.id}'s customer.created was delivered twice)`,
            'each step must run once per event id: the events library’s consumers keep an inbox of handled ids in the handler’s transaction',
          );
        return pass(`customers ${s.first.id} and ${second.id}: one row per step each`);
      },
    },
    {
      title: `the process monitor shows ${PROCESS} complete`,
      async verify(ctx) {
        const { monitorUrl, first } = await stack(ctx);
        ctx.progress('asking the process monitor (GET /processes)');
        const read = async () => {
          const response = await fetch(`${monitorUrl}/processes`);
          const all = (await response.json()) as ProcessSummary[];
          return all.find((p) => p.name === PROCESS);
        };
        const done = await waitFor(async () => {
          const p = await read();
          return p && p.started >= 2 && p.completed >= 2 && p.inProgress === 0 ? p : undefined;
        });
        if (done) return pass(`${done.completed} of ${done.started} onboardings complete`);
        const p = await read();
        if (!p)
          return fail(
            `legacy-monolith/processes.yaml has no process named ${PROCESS}`,
            `describe it there: start ${'customer.created'}, steps loyalty.account.opened, email.welcome.queued, postal.welcome-pack.queued, key data.customerId`,
          );
        if (p.started === 0)
          return fail(
            `the monitor saw no ${p.start} event (customer ${first.id} was signed up)`,
            `the monolith's relay publishes its outbox; the event type must be ${p.start}`,
          );
        return fail(
          `${p.completed} of ${p.started} onboardings complete after ${WAIT_MS / 1000} s; one completes when ${p.steps.join(', ')} have all arrived`,
          'each consumer announces its step with emit({ type, source, entity, data: { customerId } }) from its handler context, in its own transaction',
        );
      },
    },
  ],
});
