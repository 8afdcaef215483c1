import { notFound, validationFailed } from './errors';
import type { AlbumFilter, AlbumRow, CatalogRepository, NewAlbum } from './repository';

export interface AlbumSummary {
  id: number;
  title: string;
  artistId: number;
  artistName: string;
  genre: string;
  releaseYear: number;
  priceCents: number;
}

export interface AlbumDetail {
  id: number;
  title: string;
  genre: string;
  releaseYear: number;
  priceCents: number;
  artist: { id: number; name: string };
  tracks: { position: number; title: string; durationSeconds: number }[];
  youMayAlsoLike: AlbumSummary[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const YOU_MAY_ALSO_LIKE = 5;

export function toAlbumSummary(row: AlbumRow): AlbumSummary {
  return {
    id: row.id,
    title: row.title,
    artistId: row.artist_id,
    artistName: row.artist_name,
    genre: row.genre,
    releaseYear: row.release_year,
    priceCents: row.price_cents,
  };
}

/** The catalog's behaviour: plain objects in and out, no HTTP. */
export class CatalogService {
  constructor(
    private readonly repository: CatalogRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async listAlbums(
    filter: AlbumFilter,
    page: number,
    pageSize: number,
  ): Promise<Page<AlbumSummary>> {
    const { rows, total } = await this.repository.listAlbums(
      filter,
      (page - 1) * pageSize,
      pageSize,
    );
    return { items: rows.map(toAlbumSummary), total, page, pageSize };
  }

  /**
   * Album detail. `youMayAlsoLike` differs from the monolith's on purpose: the
   * service cannot read order tables, so it suggests same-genre albums by id
   * instead of the most sold ones (same shape, different contents).
   */
  async getAlbum(id: number): Promise<AlbumDetail> {
    const row = await this.repository.findAlbum(id);
    if (!row) throw notFound('album', id);
    const [tracks, similar] = await Promise.all([
      this.repository.listTracks(id),
      this.repository.listSameGenre(id, row.genre, YOU_MAY_ALSO_LIKE),
    ]);
    return {
      id: row.id,
      title: row.title,
      genre: row.genre,
      releaseYear: row.release_year,
      priceCents: row.price_cents,
      artist: { id: row.artist_id, name: row.artist_name },
      tracks: tracks.map((t) => ({
        position: t.position,
        title: t.title,
        durationSeconds: t.duration_seconds,
      })),
      youMayAlsoLike: similar.map(toAlbumSummary),
    };
  }

  async createAlbum(album: NewAlbum): Promise<AlbumDetail> {
    const artist = await this.repository.findArtist(album.artistId);
    if (!artist)
      throw validationFailed('artistId', `artistId: artist ${album.artistId} does not exist`);
    const id = await this.repository.insertAlbum(album, this.now().toISOString());
    return this.getAlbum(id);
  }

  async changePrice(id: number, priceCents: number): Promise<AlbumDetail> {
    if (!(await this.repository.updatePrice(id, priceCents))) throw notFound('album', id);
    return this.getAlbum(id);
  }

  async listArtists(
    page: number,
    pageSize: number,
  ): Promise<Page<{ id: number; name: string; albumCount: number }>> {
    const { rows, total } = await this.repository.listArtists((page - 1) * pageSize, pageSize);
    const items = rows.map((r) => ({ id: r.id, name: r.name, albumCount: Number(r.album_count) }));
    return { items, total, page, pageSize };
  }

  async createArtist(name: string): Promise<{ id: number; name: string; albums: AlbumSummary[] }> {
    return { id: await this.repository.insertArtist(name), name, albums: [] };
  }

  async getArtist(id: number): Promise<{ id: number; name: string; albums: AlbumSummary[] }> {
    const artist = await this.repository.findArtist(id);
    if (!artist) throw notFound('artist', id);
    const { rows } = await this.repository.listAlbums({ artistId: id }, 0, 10_000);
    return { id: artist.id, name: artist.name, albums: rows.map(toAlbumSummary) };
  }
}
