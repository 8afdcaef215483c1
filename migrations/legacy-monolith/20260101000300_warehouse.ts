import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stock', (t) => {
    t.integer('album_id').primary().references('id').inTable('albums').onDelete('CASCADE');
    t.integer('quantity').notNullable();
    t.string('bin', 20).notNullable();
  });
  await knex.schema.createTable('orders', (t) => {
    t.increments('id').primary();
    t.integer('customer_id')
      .notNullable()
      .references('id')
      .inTable('customers')
      .onDelete('RESTRICT');
    t.string('country_code', 2)
      .notNullable()
      .references('code')
      .inTable('countries')
      .onDelete('RESTRICT');
    t.string('status', 20).notNullable();
    t.integer('subtotal_cents').notNullable();
    t.integer('tax_cents').notNullable();
    t.integer('total_cents').notNullable();
    t.string('placed_at', 30).notNullable();
    t.string('dispatched_at', 30).nullable();
    t.string('returned_at', 30).nullable();
    t.index(['customer_id']);
    t.index(['placed_at']);
  });
  await knex.schema.createTable('order_lines', (t) => {
    t.increments('id').primary();
    t.integer('order_id').notNullable().references('id').inTable('orders').onDelete('CASCADE');
    t.integer('album_id').notNullable().references('id').inTable('albums').onDelete('RESTRICT');
    t.integer('quantity').notNullable();
    t.integer('unit_price_cents').notNullable();
    t.index(['order_id']);
    t.index(['album_id']);
  });
  await knex.schema.createTable('pick_instructions', (t) => {
    t.increments('id').primary();
    t.integer('order_id').notNullable().references('id').inTable('orders').onDelete('CASCADE');
    t.integer('album_id').notNullable();
    t.integer('quantity').notNullable();
    t.string('bin', 20).notNullable();
    t.string('status', 20).notNullable();
    t.index(['order_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pick_instructions');
  await knex.schema.dropTable('order_lines');
  await knex.schema.dropTable('orders');
  await knex.schema.dropTable('stock');
}
