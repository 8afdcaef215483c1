import type { Knex } from 'knex';
import { createInboxTable, dropInboxTable } from '../../events/src/outbox/outbox-schema';

// The reporting database: filled only from events (the data pump), read only by reports.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_orders', (t) => {
    t.integer('order_id').primary();
    t.integer('customer_id').notNullable();
    t.string('country_code', 2).nullable();
    t.string('status', 20).notNullable();
    t.string('placed_at', 30).nullable();
    t.string('dispatched_at', 30).nullable();
    t.string('returned_at', 30).nullable();
  });
  await knex.schema.createTable('report_sales', (t) => {
    t.increments('id').primary();
    t.integer('order_id').notNullable();
    t.string('kind', 10).notNullable(); // payment | refund
    t.string('country_code', 2).notNullable();
    t.integer('amount_cents').notNullable(); // tax included; negative for refunds
    t.integer('tax_cents').notNullable();
    t.string('recorded_at', 30).notNullable();
    t.unique(['order_id', 'kind']);
    t.index(['recorded_at']);
  });
  await knex.schema.createTable('report_sale_lines', (t) => {
    t.increments('id').primary();
    t.integer('sale_id').notNullable().references('id').inTable('report_sales').onDelete('CASCADE');
    t.integer('album_id').notNullable();
    t.integer('quantity').notNullable(); // positive for refunds too
    t.integer('amount_cents').notNullable(); // net of tax; negative for refunds
    t.index(['sale_id']);
    t.index(['album_id']);
  });
  await createInboxTable(knex);
}

export async function down(knex: Knex): Promise<void> {
  await dropInboxTable(knex);
  await knex.schema.dropTable('report_sale_lines');
  await knex.schema.dropTable('report_sales');
  await knex.schema.dropTable('report_orders');
}
