import type { Knex } from 'knex';
import {
  createInboxTable,
  createOutboxTable,
  dropInboxTable,
  dropOutboxTable,
} from '../../events/src/outbox/outbox-schema';

// The monolith's outbox (events written in the transaction of the change that caused them) and
// inbox (events its own consumers have handled, written in their transaction).
export async function up(knex: Knex): Promise<void> {
  await createOutboxTable(knex);
  await createInboxTable(knex);
}

export async function down(knex: Knex): Promise<void> {
  await dropInboxTable(knex);
  await dropOutboxTable(knex);
}
