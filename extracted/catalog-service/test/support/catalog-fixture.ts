import type { Knex } from 'knex';

/** A tiny known catalog: 3 artists, 6 albums (two genres), tracks on the first album. */
export async function insertCatalogFixture(db: Knex): Promise<void> {
  await db('artists').insert([
    { id: 1, name: 'Miles Davis' },
    { id: 2, name: 'Nina Simone' },
    { id: 3, name: 'Quiet Artist' },
  ]);
  const album = (
    id: number,
    title: string,
    artistId: number,
    genre: string,
    year: number,
    price: number,
  ) => ({
    id,
    title,
    artist_id: artistId,
    genre,
    release_year: year,
    price_cents: price,
    created_at: '2026-01-01T00:00:00.000Z',
  });
  await db('albums').insert([
    album(1, 'Kind of Blue', 1, 'jazz', 1959, 1299),
    album(2, 'Bitches Brew', 1, 'jazz', 1970, 1499),
    album(3, '100% Pure_Blue', 2, 'soul', 1965, 999),
    album(4, "It's Pastel Blues", 2, 'soul', 1965, 1099),
    album(5, 'Sketches of Spain', 1, 'jazz', 1960, 1199),
    album(6, 'Little Girl Blue', 2, 'jazz', 1959, 899),
  ]);
  await db('tracks').insert([
    { album_id: 1, position: 2, title: 'Freddie Freeloader', duration_seconds: 589 },
    { album_id: 1, position: 1, title: 'So What', duration_seconds: 562 },
  ]);
}

/** PostgreSQL sequences do not move when ids are inserted explicitly. */
export async function resetSequences(db: Knex, tables: string[]): Promise<void> {
  if (db.client.config.client !== 'pg') return;
  for (const table of tables) {
    await db.raw(`select setval(pg_get_serial_sequence(?, 'id'), (select max(id) from ??))`, [
      table,
      table,
    ]);
  }
}
