import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Knex } from 'knex';
import { openDatabase, parseDatabaseUrl } from '../../common/src/database';
import { createLogger } from '../../common/src/logger';
import { openBroker } from '../../events/src/broker/open-broker';
import { parseBrokerUrl } from '../../events/src/config';
import { startProcessMonitor } from '../../events/src/monitor/main';
import { loadMonitorConfig } from '../../events/src/monitor/monitor-config';
import type { ProcessSummary } from '../../events/src/monitor/process-monitor';
import { loadConfig } from '../../legacy-monolith/src/config';
import { type RunningMonolith, startMonolith } from '../../legacy-monolith/src/main';
import { type CheckContext, defineCheck, fail, pass } from '../runner/check-kit';
import { listSome, monolithReport, seededMonolithDatabase } from '../runner/check-tools';

const PAUSED = 'welcome-email';
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
  databaseUrl: string;
  brokerUrl: string;
  monitorUrl: string;
  monolith: RunningMonolith;
  first: SignUp;
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

function monolithOn(stack: Pick<Stack, 'databaseUrl' | 'brokerUrl'>, paused: string) {
  return startMonolith(
    loadConfig({
      PORT: '0',
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
 * A seeded scratch monolith on an embedded broker of its own, with the welcome-email consumer
 * down (EVENTS_PAUSED_CONSUMERS), the process monitor on the same broker, and one sign-up.
 */
function stack(ctx: CheckContext): Promise<Stack> {
  return ctx.once('stack', async () => {
    const databaseUrl = await seededMonolithDatabase(ctx);
    const brokerUrl = `sqlite:${path.join(ctx.tempDir('broker'), 'broker.sqlite')}`;
    ctx.progress('starting the process monitor on a scratch broker (port 0)');
    // Started first, so its queue exists before the monolith publishes anything.
    const monitor = await startProcessMonitor(
      loadMonitorConfig({
        MONITOR_PORT: '0',
        MONITOR_HOST: '127.0.0.1',
        MONITOR_DATABASE_URL: `sqlite:${path.join(ctx.tempDir('monitor'), 'monitor.sqlite')}`,
        MONITOR_PROCESSES_FILE: path.join(ctx.root, 'legacy-monolith', 'processes.yaml'),
        LOG_LEVEL: 'silent',
        EVENTS_BROKER_URL: brokerUrl,
      }),
    );
    ctx.defer(() => monitor.close());
    ctx.progress(`starting the monolith with EVENTS_PAUSED_CONSUMERS=${PAUSED} (port 0)`);
    const monolith = await monolithOn({ databaseUrl, brokerUrl }, PAUSED);
    const current = { monolith };
    ctx.defer(() => current.monolith.close());
    const db = openDatabase(parseDatabaseUrl(databaseUrl, 'monolith'));
    ctx.defer(() => db.destroy());
    ctx.progress('signing up a customer: POST /customers');
    const first = await signUp(monolith.url, 'first');
    return {
      db,
      databaseUrl,
      brokerUrl,
      monitorUrl: monitor.url,
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
      return { event, body: row.body as string, total: events.length };
  }
  return { event: undefined, body: '', total: events.length };
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
        ctx.progress(`restarting the monolith with ${PAUSED} running`);
        await s.monolith.close();
        s.monolith = await monolithOn(s, '');
        const queued = await waitFor(async () =>
          (await rows(s.db, STEP_TABLES.email, s.first.id)) > 0 ? true : undefined,
        );
        if (!queued)
          return fail(
            `after ${WAIT_MS / 1000} s with ${PAUSED} running, customer ${s.first.id} still has no welcome e-mail`,
            `a consumer named ${PAUSED} subscribed to customer.created should queue it; its events waited in its queue while it was down`,
          );
        ctx.progress('publishing the same customer.created again (a redelivery)');
        const { event, body } = await createdEvent(s.db, s.first.id);
        if (!event)
          return fail(
            'customer.created is gone from the outbox',
            'the outbox keeps published events',
          );
        const broker = await openBroker(parseBrokerUrl(s.brokerUrl));
        try {
          await broker.publish([{ eventId: event.id, routingKey: event.type, body }]);
        } finally {
          await broker.close();
        }
        // A later sign-up's e-mail shows the consumer has moved past the redelivery.
        const second = await signUp(s.monolith.url, 'second');
        if (second.status !== 201) return signUpFailed(second);
        await waitFor(async () =>
          (await rows(s.db, STEP_TABLES.email, second.id)) > 0 ? true : undefined,
        );
        await sleep(1000);
        const twice = [];
        for (const table of Object.values(STEP_TABLES)) {
          const n = await rows(s.db, table, s.first.id);
          if (n !== 1) twice.push(`${table}: ${n} rows`);
        }
        if (twice.length > 0)
          return fail(
            `after the same customer.created was delivered twice, customer ${s.first.id} has ${twice.join(', ')}`,
            'each step must run once per event id: run them as consumers of the events library (startConsumer keeps an inbox in the handler’s transaction), not as a hand-written subscription',
          );
        return pass(`customer ${s.first.id}: one welcome e-mail`);
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
