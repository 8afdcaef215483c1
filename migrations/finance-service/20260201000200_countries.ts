import type { Knex } from 'knex';

// Shared static data, duplicated: the service keeps its own copy of the
// monolith's countries (backfilled and synced by `strangler data`), so the
// revenue-by-country report never reads another component's table.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('countries', (t) => {
    t.string('code', 2).primary();
    t.string('name', 100).notNullable();
    t.integer('tax_rate_bp').notNullable();
    t.string('shipping_zone', 20).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('countries');
}
