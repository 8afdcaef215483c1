import type { Knex } from 'knex';
import { createOutboxTable, dropOutboxTable } from '../../events/src/outbox/outbox-schema';

// The monolith's outbox: events written in the transaction of the change that caused them.
export async function up(knex: Knex): Promise<void> {
  await createOutboxTable(knex);
}

export async function down(knex: Knex): Promise<void> {
  await dropOutboxTable(knex);
}
