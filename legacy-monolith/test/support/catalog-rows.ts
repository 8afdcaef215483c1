import type { Knex } from 'knex';

/** Two artists and ALBUM_COUNT albums with fixed ids: every 3rd is Jazz, the rest Rock; ids 1–3 have known fields. */
export const ALBUM_COUNT = 130;

export function genreOf(id: number): string {
  return id % 3 === 0 ? 'Jazz' : 'Rock';
}

/** Inserts the same catalog rows into a monolith or a catalog-service database (their tables match). */
export async function insertCatalogRows(db: Knex): Promise<void> {
  await db('artists').insert([
    { id: 1, name: 'Portishead' },
    { id: 2, name: 'Nina Simone' },
  ]);
  const albums = Array.from({ length: ALBUM_COUNT }, (_, i) => ({
    id: i + 1,
    title: `Album ${i + 1}`,
    artist_id: (i % 2) + 1,
    genre: genreOf(i + 1),
    release_year: 1990 + (i % 30),
    price_cents: 1000 + i,
    created_at: '2026-01-01T00:00:00.000Z',
  }));
  for (let i = 0; i < albums.length; i += 50) await db('albums').insert(albums.slice(i, i + 50));
  // PostgreSQL sequences do not move when ids are inserted explicitly.
  if (db.client.config.client === 'pg') {
    for (const table of ['artists', 'albums'])
      await db.raw(`select setval(pg_get_serial_sequence(?, 'id'), (select max(id) from ??))`, [
        table,
        table,
      ]);
  }
}
