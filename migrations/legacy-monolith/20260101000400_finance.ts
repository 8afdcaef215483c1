import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ledger_entries', (t) => {
    t.increments('id').primary();
    t.integer('order_id').notNullable().references('id').inTable('orders').onDelete('RESTRICT');
    t.integer('customer_id').notNullable();
    t.string('kind', 10).notNullable(); // payment | refund
    t.integer('amount_cents').notNullable(); // negative for refunds
    t.integer('tax_cents').notNullable();
    t.string('country_code', 2).notNullable();
    t.string('recorded_at', 30).notNullable();
    t.index(['order_id']);
    t.index(['recorded_at']);
    t.index(['country_code']);
  });
  // Planted seam 1: a finance table with a foreign key into catalog's albums.
  await knex.schema.createTable('ledger_lines', (t) => {
    t.increments('id').primary();
    t.integer('ledger_entry_id')
      .notNullable()
      .references('id')
      .inTable('ledger_entries')
      .onDelete('CASCADE');
    t.integer('album_id').notNullable().references('id').inTable('albums').onDelete('RESTRICT');
    t.integer('quantity').notNullable();
    t.integer('amount_cents').notNullable();
    t.index(['ledger_entry_id']);
    t.index(['album_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ledger_lines');
  await knex.schema.dropTable('ledger_entries');
}
