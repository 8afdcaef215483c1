import type { Knex } from 'knex';

/** A small, known set of countries: GB 20%, DE 19%, JP 10%, US 0%. */
export const COUNTRIES = [
  { code: 'DE', name: 'Germany', tax_rate_bp: 1900, shipping_zone: 'eu' },
  { code: 'GB', name: 'United Kingdom', tax_rate_bp: 2000, shipping_zone: 'uk' },
  { code: 'JP', name: 'Japan', tax_rate_bp: 1000, shipping_zone: 'asia' },
  { code: 'US', name: 'United States', tax_rate_bp: 0, shipping_zone: 'north-america' },
];

async function insertReturningId(
  db: Knex,
  table: string,
  row: Record<string, unknown>,
): Promise<number> {
  const [inserted] = await db(table).insert(row).returning('id');
  return Number(typeof inserted === 'object' ? inserted.id : inserted);
}

export async function insertCountries(db: Knex): Promise<void> {
  await db('countries').insert(COUNTRIES);
}

export async function insertArtist(db: Knex, name: string): Promise<number> {
  return insertReturningId(db, 'artists', { name });
}

export interface AlbumSpec {
  artistId: number;
  title: string;
  genre?: string;
  priceCents?: number;
  releaseYear?: number;
  stock?: number;
  tracks?: string[];
}

/** An album with a stock row (10 unless told) and optional tracks. */
export async function insertAlbum(db: Knex, spec: AlbumSpec): Promise<number> {
  const id = await insertReturningId(db, 'albums', {
    title: spec.title,
    artist_id: spec.artistId,
    genre: spec.genre ?? 'Rock',
    release_year: spec.releaseYear ?? 1999,
    price_cents: spec.priceCents ?? 1000,
    created_at: '2026-01-01T00:00:00.000Z',
  });
  await db('stock').insert({ album_id: id, quantity: spec.stock ?? 10, bin: `B-${id}` });
  const tracks = spec.tracks ?? [];
  if (tracks.length > 0) {
    await db('tracks').insert(
      tracks.map((title, index) => ({
        album_id: id,
        position: index + 1,
        title,
        duration_seconds: 180 + index,
      })),
    );
  }
  return id;
}

export async function insertCustomer(db: Knex, email: string, countryCode = 'GB'): Promise<number> {
  return insertReturningId(db, 'customers', {
    email,
    name: email.split('@')[0],
    country_code: countryCode,
    created_at: '2026-01-01T00:00:00.000Z',
  });
}

export async function countRows(db: Knex, table: string): Promise<number> {
  const [row] = await db(table).count({ n: '*' });
  return Number(row.n);
}
