import type { Knex } from 'knex';

export const OUTBOX_TABLE = 'event_outbox';
export const INBOX_TABLE = 'event_inbox';

/**
 * The outbox: events written in the same transaction as the change that caused them, published
 * later by the relay. Call from a component's own migration.
 *
 * @example export const up = (knex: Knex) => createOutboxTable(knex);
 */
export async function createOutboxTable(knex: Knex): Promise<void> {
  await knex.schema.createTable(OUTBOX_TABLE, (t) => {
    t.increments('id').primary();
    t.string('event_id', 64).notNullable().unique();
    t.string('type', 200).notNullable();
    t.text('body').notNullable();
    t.string('occurred_at', 30).notNullable();
    t.string('published_at', 30).nullable();
    t.index(['published_at', 'id']);
  });
}

/** The inbox: the ids of events a consumer has handled, written in the handler's transaction. */
export async function createInboxTable(knex: Knex): Promise<void> {
  await knex.schema.createTable(INBOX_TABLE, (t) => {
    t.string('consumer', 100).notNullable();
    t.string('event_id', 64).notNullable();
    t.string('handled_at', 30).notNullable();
    t.primary(['consumer', 'event_id']);
  });
}

export async function dropOutboxTable(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(OUTBOX_TABLE);
}

export async function dropInboxTable(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(INBOX_TABLE);
}
