/** An album row as the catalog (and, through a planted seam, recommendation) selects it. */
export interface AlbumRow {
  id: number;
  title: string;
  artist_id: number;
  artist_name: string;
  genre: string;
  release_year: number;
  price_cents: number;
}

export interface AlbumSummary {
  id: number;
  title: string;
  artistId: number;
  artistName: string;
  genre: string;
  releaseYear: number;
  priceCents: number;
}

export function toAlbumSummary(row: AlbumRow): AlbumSummary {
  return {
    id: Number(row.id),
    title: row.title,
    artistId: Number(row.artist_id),
    artistName: row.artist_name,
    genre: row.genre,
    releaseYear: Number(row.release_year),
    priceCents: Number(row.price_cents),
  };
}

/** A summary with nothing but the public fields (port answers and ranked rows may carry more). */
export function pickAlbumSummary(album: AlbumSummary): AlbumSummary {
  const { id, title, artistId, artistName, genre, releaseYear, priceCents } = album;
  return { id, title, artistId, artistName, genre, releaseYear, priceCents };
}
