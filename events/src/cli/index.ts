import type { Command } from 'commander';
import { registerDeadLetterCommands } from './dead-letter-commands';
import { registerOutboxCommands } from './outbox-commands';

/** `strangler events …`: dead letters and outboxes, on the broker EVENTS_BROKER_URL names. */
export function registerEventsCommands(program: Command): void {
  const events = program
    .command('events')
    .description(
      'events between components: dead-letter queue, outbox (broker: $EVENTS_BROKER_URL, default the embedded one)',
    );
  registerDeadLetterCommands(events);
  registerOutboxCommands(events);
}
