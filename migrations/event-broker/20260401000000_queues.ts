import type { Knex } from 'knex';

// The embedded broker's queues: one row per message per subscriber, leased while a consumer
// handles it, deleted on ack; dead letters kept apart until replayed or dropped.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('eb_subscribers', (t) => {
    t.string('name', 100).primary();
    t.text('topics').notNullable(); // JSON array of topic patterns
    t.integer('delivery_limit').nullable(); // null: unlimited
    t.string('declared_at', 30).notNullable();
  });
  await knex.schema.createTable('eb_messages', (t) => {
    t.increments('id').primary();
    t.string('subscriber', 100).notNullable();
    t.string('event_id', 64).notNullable();
    t.string('routing_key', 200).notNullable();
    t.text('body').notNullable();
    t.string('published_at', 30).notNullable();
    t.bigInteger('available_at').notNullable(); // epoch ms: not before (retry delay)
    t.integer('deliveries').notNullable().defaultTo(0);
    t.string('lease_owner', 64).nullable();
    t.bigInteger('lease_until').nullable(); // epoch ms: redelivered after, unless acked
    t.text('last_error').nullable();
    t.index(['subscriber', 'available_at']);
  });
  await knex.schema.createTable('eb_dead_letters', (t) => {
    t.increments('id').primary();
    t.string('subscriber', 100).notNullable();
    t.string('event_id', 64).notNullable();
    t.string('routing_key', 200).notNullable();
    t.text('body').notNullable();
    t.string('published_at', 30).notNullable();
    t.integer('deliveries').notNullable();
    t.text('reason').notNullable();
    t.string('dead_at', 30).notNullable();
    t.index(['subscriber']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('eb_dead_letters');
  await knex.schema.dropTable('eb_messages');
  await knex.schema.dropTable('eb_subscribers');
}
