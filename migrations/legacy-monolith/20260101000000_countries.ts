import type { Knex } from 'knex';

// Static reference data read by customer, warehouse and finance (planted seam 4).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('countries', (t) => {
    t.string('code', 2).primary();
    t.string('name', 100).notNullable();
    t.integer('tax_rate_bp').notNullable(); // basis points: 2000 = 20%
    t.string('shipping_zone', 20).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('countries');
}
