import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';

/** How 1M rows split over the catalog tables: 1% artists, 9% albums, 90% tracks (10 per album). */
export function splitRows(total: number) {
  const artists = Math.max(1, Math.round(total / 100));
  const albums = Math.max(1, Math.round((total * 9) / 100));
  return { artists, albums, tracks: total - artists - albums };
}

// Generated inside the database (recursive CTE / generate_series): seeding is not what is measured.
export async function seedCatalogRows(db: Knex, total: number): Promise<void> {
  const { artists, albums, tracks } = splitRows(total);
  const series = (n: number) =>
    engineOf(db) === 'postgres'
      ? `select g as n from generate_series(1, ${n}) g`
      : `with recursive s(n) as (select 1 union all select n + 1 from s where n < ${n}) select n from s`;
  await db.transaction(async (trx) => {
    await trx.raw(
      `insert into artists (id, name) select n, 'Artist ' || n from (${series(artists)}) x`,
    );
    await trx.raw(
      `insert into albums (id, title, artist_id, genre, release_year, price_cents, created_at)
       select n, 'Album ' || n, 1 + (n % ${artists}), case n % 3 when 0 then 'jazz' when 1 then 'rock' else 'soul' end,
              1950 + (n % 70), 500 + (n % 2000), '2026-01-01T00:00:00.000Z' from (${series(albums)}) x`,
    );
    await trx.raw(
      `insert into tracks (id, album_id, position, title, duration_seconds)
       select n, 1 + ((n - 1) % ${albums}), 1 + ((n - 1) / ${albums}), 'Track ' || n, 120 + (n % 300) from (${series(tracks)}) x`,
    );
  });
}
