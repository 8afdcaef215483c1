import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { engineOf } from '../../../common/src/database';
import { silentLogger } from '../../../common/src/logger';
import type { Broker } from '../broker/broker';
import { crashPoint } from '../failpoints';
import { interruptiblePause } from '../interruptible-pause';
import type { EventsMetrics } from '../metrics';
import { onOutboxCommit } from './outbox';
import { OUTBOX_TABLE } from './outbox-schema';

export interface RelayOptions {
  /** The database whose outbox this relay empties (the owner's own). */
  db: Knex;
  broker: Broker;
  /** Events per publish (default 500). */
  batchSize?: number;
  /** How often an idle relay looks for events written by other processes (default 100 ms). */
  pollMs?: number;
  /** Published rows are deleted after this long (default 7 days); 0 keeps them. */
  retainPublishedMs?: number;
  logger?: Logger;
  metrics?: EventsMetrics;
}

export interface Relay {
  /** Publishes until the outbox is empty (or throws the broker's error). */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

interface OutboxRow {
  id: number;
  event_id: string;
  type: string;
  body: string;
}

/**
 * Publishes the outbox in id order, in batches: publish, wait for the broker's confirm, then mark
 * the rows published. A crash between the two publishes the batch again; consumers' inboxes
 * absorb the duplicates. A broker outage is retried with backoff until it returns.
 *
 * @example const relay = startRelay({ db, broker }); … await relay.stop();
 */
export function startRelay(options: RelayOptions): Relay {
  const relay = createRelay(options);
  relay.start();
  return relay;
}

/** A relay that is not running yet: `drain()` for one-off use (the CLI, tests). */
export function createRelay(options: RelayOptions): Relay & { start(): void } {
  const { db, broker } = options;
  const batchSize = options.batchSize ?? 500;
  const pollMs = options.pollMs ?? 100;
  const retainMs = options.retainPublishedMs ?? 7 * 24 * 3600 * 1000;
  const logger = options.logger ?? silentLogger();
  const postgres = engineOf(db) === 'postgres';
  let running = false;
  let loop: Promise<void> | undefined;
  const { pause, wake } = interruptiblePause();
  let lastPrune = 0;
  const unsubscribe = onOutboxCommit(() => wake());

  async function publishRows(rows: OutboxRow[], trx: Knex): Promise<void> {
    await broker.publish(
      rows.map((row) => ({ eventId: row.event_id, routingKey: row.type, body: row.body })),
    );
    crashPoint('relay:after-publish');
    await trx(OUTBOX_TABLE)
      .whereIn(
        'id',
        rows.map((row) => row.id),
      )
      .update({ published_at: new Date().toISOString() });
  }

  /** One batch; returns how many events it published. */
  async function relayBatch(): Promise<number> {
    const select = (q: Knex) =>
      q(OUTBOX_TABLE)
        .select('id', 'event_id', 'type', 'body')
        .whereNull('published_at')
        .orderBy('id')
        .limit(batchSize);
    if (postgres) {
      // Several relays on one PostgreSQL outbox: each batch is locked by one of them.
      return db.transaction(async (trx) => {
        const rows: OutboxRow[] = await select(trx).forUpdate().skipLocked();
        if (rows.length > 0) await publishRows(rows, trx);
        return rows.length;
      });
    }
    // SQLite: no write lock while the broker confirms; two relays would only duplicate.
    const rows: OutboxRow[] = await select(db);
    if (rows.length > 0) await publishRows(rows, db);
    return rows.length;
  }

  async function prune(): Promise<void> {
    if (retainMs <= 0 || Date.now() - lastPrune < 60_000) return;
    lastPrune = Date.now();
    const before = new Date(Date.now() - retainMs).toISOString();
    await db(OUTBOX_TABLE).whereNotNull('published_at').where('published_at', '<', before).delete();
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        const published = await relayBatch();
        options.metrics?.countRelayed(published);
        if (failures > 0) logger.info({ broker: broker.where }, 'outbox relay recovered');
        failures = 0;
        if (published === batchSize) continue;
        await prune();
        await pause(pollMs);
      } catch (error) {
        failures += 1;
        options.metrics?.countRelayFailure();
        if (!running) break;
        const delay = Math.min(5000, 100 * 2 ** Math.min(failures, 6));
        logger.warn(
          { err: error, broker: broker.where, retryInMs: delay, failures },
          'outbox relay could not publish; retrying',
        );
        await pause(delay);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async drain() {
      let total = 0;
      for (;;) {
        const published = await relayBatch();
        total += published;
        options.metrics?.countRelayed(published);
        if (published < batchSize) return total;
      }
    },
    async stop() {
      running = false;
      unsubscribe();
      wake();
      await loop;
    },
  };
}
