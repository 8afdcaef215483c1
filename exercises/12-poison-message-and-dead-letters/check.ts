import path from 'node:path';
import type { Knex } from 'knex';
import { openDatabase, parseDatabaseUrl } from '../../common/src/database';
import type { RunningService } from '../../common/src/run-service';
import type { Broker, DeadLetter } from '../../events/src/broker/broker';
import { openBroker } from '../../events/src/broker/open-broker';
import { parseBrokerUrl } from '../../events/src/config';
import { createEvent } from '../../events/src/envelope';
import type { SubscriptionSettings } from '../../events/src/subscription-file';
import { loadConfig } from '../../extracted/reporting-service/src/config';
import { startReportingService } from '../../extracted/reporting-service/src/main';
import { type CheckContext, defineCheck, fail, pass } from '../runner/check-kit';

const SUBSCRIPTION = path.join('extracted', 'reporting-service', 'subscription.yaml');
const GOOD = 50;
/** The order whose "placed" event arrives a second time, under a new event id. */
const TWICE = 10;
const FIRST_TOTAL = 1200;
const CORRECTED_TOTAL = 2400;
/** The backoff the check uses instead of the file's, so a run takes seconds, not minutes. */
const FAST_RETRY = { firstDelayMs: 20, maxDelayMs: 100 };
/** Retries after which an event that is still not dead-lettered counts as retried forever. */
const FOREVER = 12;
const MAX_LIMIT = 20;
const WAIT_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function orderPlaced(orderId: number, totalCents = FIRST_TOTAL) {
  const event = createEvent({
    type: 'warehouse.order.placed',
    source: 'exercise-12',
    correlationId: `exercise-12-order-${orderId}`,
    entity: { type: 'order', id: orderId, link: `/warehouse/orders/${orderId}` },
    data: {
      orderId,
      customerId: 1,
      countryCode: 'GB',
      subtotalCents: totalCents - totalCents / 6,
      taxCents: totalCents / 6,
      totalCents,
      lines: [
        {
          albumId: 7,
          quantity: 1,
          unitPriceCents: totalCents,
          amountCents: totalCents - totalCents / 6,
        },
      ],
    },
  });
  return { eventId: event.id, routingKey: event.type, body: JSON.stringify(event) };
}

interface Run {
  settings?: SubscriptionSettings;
  refused?: string;
  broker: Broker;
  service: RunningService;
  reportingDb: Knex;
  poisonId: string;
  goodReported: boolean;
  sales: number;
  retried: number;
  letters: DeadLetter[];
  seconds: number;
}

async function sales(service: RunningService): Promise<number> {
  const status = (await (await fetch(`${service.url}/reports/status`)).json()) as { sales: number };
  return Number(status.sales);
}

async function retried(service: RunningService): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return Number(
    /events_consumed_total\{consumer="[^"]+",outcome="retried"\} (\d+)/.exec(text)?.[1] ?? 0,
  );
}

async function waitFor(probe: () => Promise<boolean>, ms = WAIT_MS): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

/**
 * reporting-service with the tree's subscription (its delivery limit; a fast backoff) on a
 * scratch embedded broker and database: 50 good orders, and order 10 placed a second time.
 */
function poisonRun(ctx: CheckContext): Promise<Run | { refused: string }> {
  return ctx.once('poison-run', async () => {
    const dir = ctx.tempDir('reporting');
    const brokerUrl = `sqlite:${path.join(dir, 'broker.sqlite')}`;
    const reportingUrl = `sqlite:${path.join(dir, 'reporting.sqlite')}`;
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig({
        REPORTING_DATABASE_URL: reportingUrl,
        REPORTING_SUBSCRIPTION_FILE: path.join(ctx.root, SUBSCRIPTION),
        EVENTS_BROKER_URL: brokerUrl,
      });
    } catch (error) {
      return { refused: (error as Error).message };
    }
    const settings = config.subscription;
    ctx.progress(
      `starting reporting-service (deliveryLimit ${settings.retry.deliveryLimit}) on a scratch embedded broker, port 0`,
    );
    const service = await startReportingService({
      ...config,
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      subscription: { ...settings, retry: { ...settings.retry, ...FAST_RETRY } },
    });
    ctx.defer(() => service.close());
    const broker = await openBroker(parseBrokerUrl(brokerUrl));
    ctx.defer(() => broker.close());
    const reportingDb = openDatabase(parseDatabaseUrl(reportingUrl, 'reporting-service'));
    ctx.defer(() => reportingDb.destroy());

    ctx.progress(
      `publishing ${GOOD} good warehouse.order.placed events, with order ${TWICE} placed twice`,
    );
    const good = Array.from({ length: GOOD }, (_, i) => orderPlaced(i + 1));
    await broker.publish(good.slice(0, GOOD / 2));
    await waitFor(async () => (await sales(service)) >= GOOD / 2);
    const poison = orderPlaced(TWICE, CORRECTED_TOTAL);
    const started = Date.now();
    await broker.publish([poison, ...good.slice(GOOD / 2)]);

    const goodReported = await waitFor(async () => (await sales(service)) >= GOOD);
    ctx.progress('watching what happens to the second "placed" event of order 10');
    await waitFor(
      async () =>
        (await broker.deadLetters.list()).length > 0 || (await retried(service)) >= FOREVER,
    );
    await sleep(300);
    return {
      settings,
      broker,
      service,
      reportingDb,
      poisonId: poison.eventId,
      goodReported,
      sales: await sales(service),
      retried: await retried(service),
      letters: await broker.deadLetters.list(),
      seconds: (Date.now() - started) / 1000,
    };
  });
}

const refusedFail = (refused: string) =>
  fail(
    `reporting-service refuses its subscription: ${refused}`,
    `fix ${SUBSCRIPTION} (the message names the field; the comments in the file show each one)`,
  );

export default defineCheck({
  criteria: [
    {
      title: `the ${GOOD} good events are reported while the poison event fails`,
      independent: true,
      async verify(ctx) {
        const run = await poisonRun(ctx);
        if (!('service' in run)) return refusedFail(run.refused);
        if (!run.goodReported || run.sales !== GOOD)
          return fail(
            `the report shows ${run.sales} sales, ${GOOD} orders were placed`,
            `${SUBSCRIPTION} must keep topics [warehouse.order.*]; the other events must keep flowing while one fails`,
          );
        return pass(`${run.sales} sales reported`);
      },
    },
    {
      title:
        'the poison event lands in the dead-letter queue after a few deliveries instead of being retried forever',
      async verify(ctx) {
        const run = await poisonRun(ctx);
        if (!('service' in run)) return refusedFail(run.refused);
        const limit = run.settings!.retry.deliveryLimit;
        const letter = run.letters.find((l) => l.eventId === run.poisonId);
        if (typeof limit === 'number' && limit > MAX_LIMIT)
          return fail(
            `deliveryLimit ${limit}: order ${TWICE}'s second "placed" event would fail ${limit} times, backing off up to ${run.settings!.retry.maxDelayMs / 1000} s each, before anyone sees it`,
            `choose a limit from 2 to ${MAX_LIMIT} (5 is a good start)`,
          );
        if (!letter) {
          const what =
            limit === 'unlimited'
              ? `with deliveryLimit: unlimited, order ${TWICE}'s second "placed" event failed ${run.retried + 1} times in ${run.seconds.toFixed(1)} s and is still being retried (the check shortens the backoff; with the file's it would go on for ever, every ${run.settings!.retry.maxDelayMs / 1000} s)`
              : `order ${TWICE}'s second "placed" event failed ${run.retried + 1} times and is not in the dead-letter queue (deliveryLimit ${limit})`;
          return fail(
            `${what}; the dead-letter queue holds ${run.letters.length} message(s)`,
            `set retry.deliveryLimit in ${SUBSCRIPTION} to a number of deliveries (5 is a good start)`,
          );
        }
        if (typeof limit !== 'number' || limit < 2 || limit > MAX_LIMIT)
          return fail(
            `deliveryLimit ${limit}: ${limit === 1 ? 'one failed delivery dead-letters an event that a second try (after a database hiccup, a restart) would have handled' : `an event is retried ${limit} times before anyone sees it`}`,
            `choose a limit from 2 to ${MAX_LIMIT} (5 is a good start)`,
          );
        return pass(`dead-lettered after ${letter.deliveries} deliveries (limit ${limit})`);
      },
    },
    {
      title:
        'the dead-letter queue (npx strangler events dlq list) names the event, its subscriber and why it failed',
      async verify(ctx) {
        const run = (await poisonRun(ctx)) as Run;
        const letter = run.letters.find((l) => l.eventId === run.poisonId)!;
        const strays = run.letters.filter((l) => l.eventId !== run.poisonId);
        if (strays.length > 0)
          return fail(
            `good events are in the dead-letter queue too: ${strays.map((l) => `${l.routingKey} (${l.reason})`).join('; ')}`,
            'only the event that cannot be applied belongs there: keep the pump as it is and the backoff long enough for a retry to succeed',
          );
        if (letter.subscriber !== run.settings!.name || !letter.reason)
          return fail(
            `the dead letter has subscriber ${letter.subscriber} and reason "${letter.reason}"`,
            'the subscriber is the subscription name (reporting-pump); keep it',
          );
        return pass(`${letter.routingKey} for ${letter.subscriber}: ${letter.reason}`);
      },
    },
    {
      title: 'after the cause is fixed, replaying the dead letter applies it',
      async verify(ctx) {
        const run = (await poisonRun(ctx)) as Run;
        const letter = run.letters.find((l) => l.eventId === run.poisonId)!;
        ctx.progress(
          `fixing the cause (the stale sale of order ${TWICE} is removed), then events dlq replay`,
        );
        // The second event carries the corrected total: the operator removes the stale sale.
        const stale = run.reportingDb('report_sales').where({ order_id: TWICE }).select('id');
        await run.reportingDb('report_sale_lines').whereIn('sale_id', stale).delete();
        await run.reportingDb('report_sales').where({ order_id: TWICE }).delete();
        const replayed = await run.broker.deadLetters.replay([letter.id]);
        if (replayed !== 1)
          return fail(
            `events dlq replay ${letter.id} replayed ${replayed} messages`,
            'replay it by its id',
          );
        const applied = await waitFor(async () => {
          const row = await run.reportingDb('report_sales').where({ order_id: TWICE }).first();
          return Number(row?.amount_cents) === CORRECTED_TOTAL;
        });
        const left = await run.broker.deadLetters.list();
        if (!applied || left.length > 0)
          return fail(
            `after the replay order ${TWICE}'s sale is ${applied ? 'corrected' : 'still missing'} and the dead-letter queue holds ${left.length}`,
            'a replayed message goes back on the subscriber’s queue with a fresh delivery count; the pump must still be subscribed to it',
          );
        const total = await sales(run.service);
        return pass(
          `order ${TWICE} reported with the corrected total; ${total} sales, dead-letter queue empty`,
        );
      },
    },
  ],
});
