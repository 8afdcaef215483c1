import type { CatalogPort } from '../catalog-port';
import { notFound, validationFailed } from '../errors';
import type { Page, Paging } from '../http/paging';
import { RecommendationService } from '../recommendation';
import { type AlbumSummary, toAlbumSummary } from './album-summary';
import { type AlbumFilter, CatalogRepository, type Database, type NewAlbum } from './repository';

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

export interface ArtistSummary {
  id: number;
  name: string;
  albumCount: number;
}

const SIMILAR_ALBUMS = 5;

export class CatalogService {
  private readonly repository: CatalogRepository;
  private readonly recommendations: RecommendationService;

  constructor(db: Database, port: CatalogPort) {
    this.repository = new CatalogRepository(db);
    // Planted seam 7: catalog reaches into recommendation, which maps albums with catalog's own mapper (a cycle).
    this.recommendations = new RecommendationService(db, port);
  }

  async listAlbums(filter: AlbumFilter, paging: Paging): Promise<Page<AlbumSummary>> {
    const { rows, total } = await this.repository.listAlbums(filter, paging);
    return { items: rows.map(toAlbumSummary), total, ...paging };
  }

  async getAlbum(id: number): Promise<AlbumDetail> {
    const row = await this.repository.findAlbum(id);
    if (!row) throw notFound('album', id);
    const tracks = await this.repository.listTracks(id);
    const youMayAlsoLike = await this.recommendations.youMayAlsoLike(
      { id, genre: row.genre },
      SIMILAR_ALBUMS,
    );
    return {
      id: Number(row.id),
      title: row.title,
      genre: row.genre,
      releaseYear: Number(row.release_year),
      priceCents: Number(row.price_cents),
      artist: { id: Number(row.artist_id), name: row.artist_name },
      tracks: tracks.map((t) => ({
        position: Number(t.position),
        title: t.title,
        durationSeconds: Number(t.duration_seconds),
      })),
      youMayAlsoLike,
    };
  }

  async createAlbum(album: NewAlbum): Promise<AlbumDetail> {
    const artist = await this.repository.findArtist(album.artistId);
    if (!artist)
      throw validationFailed('artistId', `artistId: artist ${album.artistId} does not exist`);
    const id = await this.repository.transaction(async (trx) => {
      const albumId = await this.repository.insertAlbum(trx, album, new Date().toISOString());
      await this.repository.insertTracks(trx, albumId, album.tracks);
      return albumId;
    });
    return this.getAlbum(id);
  }

  async changePrice(id: number, priceCents: number): Promise<AlbumDetail> {
    const updated = await this.repository.updatePrice(id, priceCents);
    if (!updated) throw notFound('album', id);
    return this.getAlbum(id);
  }

  async listArtists(paging: Paging): Promise<Page<ArtistSummary>> {
    const { rows, total } = await this.repository.listArtists(paging);
    const items = rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      albumCount: Number(r.album_count),
    }));
    return { items, total, ...paging };
  }

  async createArtist(name: string): Promise<{ id: number; name: string; albums: AlbumSummary[] }> {
    const id = await this.repository.insertArtist(name);
    return { id, name, albums: [] };
  }

  async getArtist(id: number): Promise<{ id: number; name: string; albums: AlbumSummary[] }> {
    const artist = await this.repository.findArtist(id);
    if (!artist) throw notFound('artist', id);
    const albums = await this.repository.listAlbumsByArtist(id);
    return { id: Number(artist.id), name: artist.name, albums: albums.map(toAlbumSummary) };
  }
}
