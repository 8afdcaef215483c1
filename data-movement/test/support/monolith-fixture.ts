import type { Knex } from 'knex';

export interface FixtureSize {
  artists: number;
  albumsPerArtist: number;
  tracksPerAlbum: number;
  orders: number;
}

async function insertChunked(
  db: Knex,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db(table).insert(rows.slice(i, i + 500));
}

/** A migrated monolith with a known, deterministic catalog and ledger (titles with quotes and non-ASCII on purpose). */
export async function seedMonolith(db: Knex, size: FixtureSize): Promise<void> {
  await db('countries').insert([
    { code: 'DE', name: 'Germany', tax_rate_bp: 1900, shipping_zone: 'eu' },
    { code: 'FR', name: 'France', tax_rate_bp: 2000, shipping_zone: 'eu' },
    { code: 'GB', name: 'United Kingdom', tax_rate_bp: 2000, shipping_zone: 'uk' },
  ]);
  const artists = Array.from({ length: size.artists }, (_, i) => ({
    id: i + 1,
    name: `Artist ${i + 1} «${i % 7}»`,
  }));
  await insertChunked(db, 'artists', artists);
  const albumCount = size.artists * size.albumsPerArtist;
  const albums = Array.from({ length: albumCount }, (_, i) => ({
    id: i + 1,
    title: `Album ${i + 1} l'été`,
    artist_id: (i % size.artists) + 1,
    genre: ['jazz', 'rock', 'soul'][i % 3],
    release_year: 1950 + (i % 70),
    price_cents: 500 + ((i * 37) % 2000),
    created_at: '2026-01-01T00:00:00.000Z',
  }));
  await insertChunked(db, 'albums', albums);
  const tracks = albums.flatMap((album) =>
    Array.from({ length: size.tracksPerAlbum }, (_, p) => ({
      album_id: album.id,
      position: p + 1,
      title: `Track ${p + 1}`,
      duration_seconds: 120 + p,
    })),
  );
  await insertChunked(db, 'tracks', tracks);
  if (size.orders === 0) return;
  await db('customers').insert({
    id: 1,
    email: 'a@example.com',
    name: 'A',
    country_code: 'DE',
    created_at: '2026-01-01T00:00:00.000Z',
  });
  for (let o = 1; o <= size.orders; o += 1) {
    await db('orders').insert({
      id: o,
      customer_id: 1,
      country_code: 'DE',
      status: 'placed',
      subtotal_cents: 1000,
      tax_cents: 190,
      total_cents: 1190,
      placed_at: '2026-02-01T00:00:00.000Z',
    });
    await db('ledger_entries').insert({
      id: o,
      order_id: o,
      customer_id: 1,
      kind: 'payment',
      amount_cents: 1190,
      tax_cents: 190,
      country_code: 'DE',
      recorded_at: '2026-02-01T00:00:00.000Z',
    });
    await db('ledger_lines').insert({
      id: o,
      ledger_entry_id: o,
      album_id: (o % albumCount) + 1,
      quantity: 1,
      amount_cents: 1000,
    });
  }
}

/** PostgreSQL sequences do not move when ids are inserted explicitly. */
export async function resetMonolithSequences(db: Knex): Promise<void> {
  if (db.client.config.client !== 'pg') return;
  for (const table of [
    'artists',
    'albums',
    'tracks',
    'customers',
    'orders',
    'ledger_entries',
    'ledger_lines',
  ]) {
    await db.raw(
      `select setval(pg_get_serial_sequence(?, 'id'), coalesce((select max(id) from ??), 0) + 1, false)`,
      [table, table],
    );
  }
}
