import type { Knex } from 'knex';

// The finance service's ledger. Unlike the monolith's, ledger_entries.order_id
// and ledger_lines.album_id carry NO foreign key: orders stay in the monolith and
// albums moved to the catalog service, so those references are checked in code
// (catalog-client.ts) instead of by the database.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ledger_entries', (t) => {
    t.increments('id').primary();
    t.integer('order_id').notNullable();
    t.integer('customer_id').notNullable();
    t.string('kind', 10).notNullable(); // payment | refund
    t.integer('amount_cents').notNullable(); // negative for refunds
    t.integer('tax_cents').notNullable();
    t.string('country_code', 2).notNullable();
    t.string('recorded_at', 30).notNullable();
    t.index(['order_id']);
    t.index(['recorded_at']);
    t.index(['country_code']);
    // The idempotency key of POST /finance/payments and /finance/refunds.
    t.unique(['order_id', 'kind']);
  });
  await knex.schema.createTable('ledger_lines', (t) => {
    t.increments('id').primary();
    t.integer('ledger_entry_id')
      .notNullable()
      .references('id')
      .inTable('ledger_entries')
      .onDelete('CASCADE');
    t.integer('album_id').notNullable();
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
