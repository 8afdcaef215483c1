import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (t) => {
    t.increments('id').primary();
    t.string('email', 254).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('country_code', 2)
      .notNullable()
      .references('code')
      .inTable('countries')
      .onDelete('RESTRICT');
    t.string('created_at', 30).notNullable();
    t.index(['country_code']);
  });
  await knex.schema.createTable('loyalty_accounts', (t) => {
    t.increments('id').primary();
    t.integer('customer_id')
      .notNullable()
      .unique()
      .references('id')
      .inTable('customers')
      .onDelete('CASCADE');
    t.integer('points').notNullable().defaultTo(0);
    t.string('tier', 20).notNullable().defaultTo('bronze');
  });
  await knex.schema.createTable('welcome_emails', (t) => {
    t.increments('id').primary();
    t.integer('customer_id')
      .notNullable()
      .references('id')
      .inTable('customers')
      .onDelete('CASCADE');
    t.string('to_address', 254).notNullable();
    t.string('status', 20).notNullable().defaultTo('queued');
    t.string('queued_at', 30).notNullable();
    t.index(['customer_id']);
  });
  await knex.schema.createTable('postal_welcome_packs', (t) => {
    t.increments('id').primary();
    t.integer('customer_id')
      .notNullable()
      .references('id')
      .inTable('customers')
      .onDelete('CASCADE');
    t.string('country_code', 2).notNullable();
    t.string('status', 20).notNullable().defaultTo('queued');
    t.string('queued_at', 30).notNullable();
    t.index(['customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('postal_welcome_packs');
  await knex.schema.dropTable('welcome_emails');
  await knex.schema.dropTable('loyalty_accounts');
  await knex.schema.dropTable('customers');
}
