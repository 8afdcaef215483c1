import type { Command } from 'commander';
import { EXIT, runAction, UsageError } from '../../../common/src/cli';
import { readInteger } from '../../../common/src/cli-options';
import type { DeadLetter } from '../broker/broker';
import { EventsError } from '../errors';
import { type BrokerOptions, brokerOptions, withBroker } from './with-broker';

const oneLine = (text: string, width: number) => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};

function printTable(letters: DeadLetter[]): void {
  if (letters.length === 0) {
    process.stdout.write('no dead letters\n');
    return;
  }
  const idWidth = Math.max(2, ...letters.map((l) => l.id.length));
  const subWidth = Math.max(10, ...letters.map((l) => l.subscriber.length));
  const typeWidth = Math.max(4, ...letters.map((l) => l.routingKey.length));
  process.stdout.write(
    `${'id'.padEnd(idWidth)}  ${'subscriber'.padEnd(subWidth)}  ${'type'.padEnd(typeWidth)}  tries  dead at                   reason\n`,
  );
  for (const l of letters)
    process.stdout.write(
      `${l.id.padEnd(idWidth)}  ${l.subscriber.padEnd(subWidth)}  ${l.routingKey.padEnd(typeWidth)}  ${String(l.deliveries).padStart(5)}  ${l.deadAt.padEnd(24)}  ${oneLine(l.reason, 100)}\n`,
    );
  process.stdout.write(
    `${letters.length} dead letter${letters.length === 1 ? '' : 's'}; \`events dlq show <id>\` for one, \`events dlq replay <id>\` once the consumer is fixed\n`,
  );
}

function pickIds(ids: string[], all: boolean | undefined, verb: string): void {
  if (ids.length === 0 && !all)
    throw new UsageError(
      `events dlq ${verb}: name dead letters by id (see \`events dlq list\`), or pass --all`,
    );
  if (ids.length > 0 && all)
    throw new UsageError(`events dlq ${verb}: pass ids or --all, not both`);
}

async function selectIds(
  listed: () => Promise<DeadLetter[]>,
  ids: string[],
  all: boolean | undefined,
): Promise<string[]> {
  if (!all) return ids;
  return (await listed()).map((letter) => letter.id);
}

/** `events dlq list|show|replay|drop`: the dead-letter queue of the broker EVENTS_BROKER_URL names. */
export function registerDeadLetterCommands(events: Command): void {
  const dlq = events
    .command('dlq')
    .description('the dead-letter queue: events a consumer gave up on, with the reason');

  brokerOptions(
    dlq
      .command('list')
      .description('list dead letters (id, subscriber, type, deliveries, reason)')
      .option('--subscriber <name>', 'only this subscriber')
      .option('--limit <n>', 'at most this many', '1000')
      .option('--json', 'print JSON'),
  ).action(
    runAction(
      async (opts: BrokerOptions & { subscriber?: string; limit: string; json?: boolean }) => {
        const limit = readInteger(opts.limit, { flag: '--limit', min: 1, example: '--limit 50' });
        const letters = await withBroker(opts, (broker) =>
          broker.deadLetters.list({ subscriber: opts.subscriber, limit }),
        );
        if (opts.json) process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
        else printTable(letters);
        return EXIT.ok;
      },
    ),
  );

  brokerOptions(
    dlq.command('show <id>').description('one dead letter: why it died, and the whole event'),
  ).action(
    runAction(async (id: string, opts: BrokerOptions) => {
      const letter = await withBroker(opts, async (broker) =>
        (await broker.deadLetters.list({ limit: 100_000 })).find((l) => l.id === id),
      );
      if (!letter)
        throw new EventsError(
          'ERR_EVENTS_DEAD_LETTER_NOT_FOUND',
          `no dead letter "${id}"; \`npx strangler events dlq list\` shows the ids`,
        );
      let body: unknown = letter.body;
      try {
        body = JSON.parse(letter.body);
      } catch {
        // shown as the text it is
      }
      process.stdout.write(
        `id          ${letter.id}\nsubscriber  ${letter.subscriber}\ntype        ${letter.routingKey}\nevent id    ${letter.eventId}\ndeliveries  ${letter.deliveries}\ndead at     ${letter.deadAt}\nreason      ${letter.reason}\nevent\n${JSON.stringify(body, null, 2)}\n`,
      );
      return EXIT.ok;
    }),
  );

  for (const verb of ['replay', 'drop'] as const) {
    const command = dlq
      .command(`${verb} [ids...]`)
      .description(
        verb === 'replay'
          ? "put dead letters back on their subscriber's queue (after fixing the consumer)"
          : 'delete dead letters for good (needs --yes with --all)',
      )
      .option('--all', 'every dead letter (of --subscriber, if given)')
      .option('--subscriber <name>', 'with --all: only this subscriber');
    if (verb === 'drop') command.option('--yes', 'confirm dropping with --all');
    brokerOptions(command).action(
      runAction(
        async (
          ids: string[],
          opts: BrokerOptions & { all?: boolean; subscriber?: string; yes?: boolean },
        ) => {
          pickIds(ids, opts.all, verb);
          if (verb === 'drop' && opts.all && !opts.yes)
            throw new UsageError(
              'events dlq drop --all deletes those events for good: add --yes, or replay them instead (`events dlq replay --all`)',
            );
          const done = await withBroker(opts, async (broker) => {
            const chosen = await selectIds(
              () => broker.deadLetters.list({ subscriber: opts.subscriber, limit: 100_000 }),
              ids,
              opts.all,
            );
            return verb === 'replay'
              ? broker.deadLetters.replay(chosen)
              : broker.deadLetters.drop(chosen);
          });
          process.stdout.write(
            `${verb === 'replay' ? 'replayed' : 'dropped'} ${done} dead letter${done === 1 ? '' : 's'}\n`,
          );
          if (!opts.all && done < ids.length) {
            process.stderr.write(
              `${ids.length - done} of the ids were not in the dead-letter queue (see \`events dlq list\`)\n`,
            );
            return EXIT.findings;
          }
          return EXIT.ok;
        },
      ),
    );
  }
}
