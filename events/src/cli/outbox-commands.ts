import type { Command } from 'commander';
import { EXIT, runAction } from '../../../common/src/cli';
import { openDatabase, parseDatabaseUrl } from '../../../common/src/database';
import { EventsError } from '../errors';
import { readOutboxStatus } from '../outbox/outbox';
import { createRelay } from '../outbox/relay';
import { type BrokerOptions, brokerOptions, withBroker } from './with-broker';

interface DatabaseOption {
  databaseUrl?: string;
}

async function withOutbox<T>(
  options: DatabaseOption,
  work: (db: ReturnType<typeof openDatabase>) => Promise<T>,
): Promise<T> {
  const db = openDatabase(
    parseDatabaseUrl(options.databaseUrl ?? process.env.DATABASE_URL, 'monolith'),
  );
  try {
    if (!(await db.schema.hasTable('event_outbox')))
      throw new EventsError(
        'ERR_EVENTS_OUTBOX_MISSING',
        'that database has no event_outbox table: migrate it first (`npx strangler db migrate` for the monolith), or point --database-url at the owner of the events',
      );
    return await work(db);
  } finally {
    await db.destroy();
  }
}

const databaseOption = [
  '--database-url <url>',
  "the outbox's database: postgres://… or an SQLite file (default $DATABASE_URL, else data/monolith.sqlite)",
] as const;

/** `events outbox status` and `events outbox relay`: a component's outbox. */
export function registerOutboxCommands(events: Command): void {
  const outbox = events
    .command('outbox')
    .description("a component's outbox: events written with its changes, waiting for the relay");
  outbox
    .command('status')
    .description('how many events wait to be published, and since when')
    .option(...databaseOption)
    .action(
      runAction(async (opts: DatabaseOption) => {
        const status = await withOutbox(opts, readOutboxStatus);
        process.stdout.write(
          `pending ${status.pending}${status.oldestPendingAt ? ` (oldest ${status.oldestPendingAt})` : ''}, published ${status.published}\n`,
        );
        return EXIT.ok;
      }),
    );
  brokerOptions(
    outbox
      .command('relay')
      .description(
        'publish every pending event now, then exit (a running component relays by itself)',
      )
      .option(...databaseOption),
  ).action(
    runAction(async (opts: DatabaseOption & BrokerOptions) => {
      const published = await withOutbox(opts, (db) =>
        withBroker(opts, (broker) => createRelay({ db, broker }).drain()),
      );
      process.stdout.write(`published ${published} event${published === 1 ? '' : 's'}\n`);
      return EXIT.ok;
    }),
  );
}
