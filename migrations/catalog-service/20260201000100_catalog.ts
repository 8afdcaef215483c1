import type { Knex } from 'knex';

// The catalog service's own copy of the monolith's catalog tables: same
// columns and keys, so `strangler data backfill catalog` copies rows as they are.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('artists', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable();
    t.index(['name']);
  });
  await knex.schema.createTable('albums', (t) => {
    t.increments('id').primary();
    t.string('title', 200).notNullable();
    t.integer('artist_id').notNullable().references('id').inTable('artists').onDelete('RESTRICT');
    t.string('genre', 50).notNullable();
    t.integer('release_year').notNullable();
    t.integer('price_cents').notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['artist_id']);
    t.index(['genre']);
    t.index(['title']);
  });
  await knex.schema.createTable('tracks', (t) => {
    t.increments('id').primary();
    t.integer('album_id').notNullable().references('id').inTable('albums').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('title', 200).notNullable();
    t.integer('duration_seconds').notNullable();
    t.unique(['album_id', 'position']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tracks');
  await knex.schema.dropTable('albums');
  await knex.schema.dropTable('artists');
}
