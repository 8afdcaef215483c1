import type { Knex } from 'knex';
import { toNumber } from '../../../common/src/database';
import type { Paging } from '../http/paging';
import { offsetOf } from '../http/paging';
import type { AlbumRow } from './album-summary';

export type Database = Knex;

const ALBUMS = 'albums';
const ARTISTS = 'artists';
const TRACKS = 'tracks';

const ALBUM_ROW_COLUMNS = [
  'albums.id',
  'albums.title',
  'albums.artist_id',
  'artists.name as artist_name',
  'albums.genre',
  'albums.release_year',
  'albums.price_cents',
];

export interface AlbumFilter {
  genre?: string;
  artistId?: number;
  q?: string;
}

export interface NewAlbum {
  title: string;
  artistId: number;
  genre: string;
  releaseYear: number;
  priceCents: number;
  tracks: { title: string; durationSeconds: number }[];
}

export interface TrackRow {
  position: number;
  title: string;
  duration_seconds: number;
}

// SECURITY: user text becomes a LIKE pattern, so its wildcards are escaped to match literally.
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class CatalogRepository {
  constructor(private readonly db: Knex) {}

  async listAlbums(
    filter: AlbumFilter,
    paging: Paging,
  ): Promise<{ rows: AlbumRow[]; total: number }> {
    const matching = this.db(ALBUMS).join(ARTISTS, 'artists.id', 'albums.artist_id');
    if (filter.genre) matching.whereRaw('lower(albums.genre) = ?', [filter.genre.toLowerCase()]);
    if (filter.artistId) matching.where('albums.artist_id', filter.artistId);
    if (filter.q)
      matching.whereRaw("lower(albums.title) like ? escape '\\'", [likePattern(filter.q)]);
    const [counted] = await matching.clone().count({ total: '*' });
    const rows = await matching
      .select(ALBUM_ROW_COLUMNS)
      .orderBy('albums.id')
      .limit(paging.pageSize)
      .offset(offsetOf(paging));
    return { rows, total: toNumber(counted?.total) };
  }

  async findAlbum(id: number): Promise<AlbumRow | undefined> {
    return this.db(ALBUMS)
      .join(ARTISTS, 'artists.id', 'albums.artist_id')
      .select(ALBUM_ROW_COLUMNS)
      .where('albums.id', id)
      .first();
  }

  async listTracks(albumId: number): Promise<TrackRow[]> {
    return this.db(TRACKS)
      .select('position', 'title', 'duration_seconds')
      .where({ album_id: albumId })
      .orderBy('position');
  }

  async findArtist(id: number): Promise<{ id: number; name: string } | undefined> {
    return this.db(ARTISTS).select('id', 'name').where({ id }).first();
  }

  async listArtists(
    paging: Paging,
  ): Promise<{ rows: { id: number; name: string; album_count: unknown }[]; total: number }> {
    const [counted] = await this.db(ARTISTS).count({ total: '*' });
    const rows = await this.db(ARTISTS)
      .leftJoin(ALBUMS, 'albums.artist_id', 'artists.id')
      .select('artists.id', 'artists.name', this.db.raw('count(albums.id) as album_count'))
      .groupBy('artists.id', 'artists.name')
      .orderBy('artists.id')
      .limit(paging.pageSize)
      .offset(offsetOf(paging));
    return { rows, total: toNumber(counted?.total) };
  }

  async listAlbumsByArtist(artistId: number): Promise<AlbumRow[]> {
    return this.db(ALBUMS)
      .join(ARTISTS, 'artists.id', 'albums.artist_id')
      .select(ALBUM_ROW_COLUMNS)
      .where('albums.artist_id', artistId)
      .orderBy('albums.id');
  }

  async transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insertArtist(name: string): Promise<number> {
    const [inserted] = await this.db(ARTISTS).insert({ name }).returning('id');
    return Number(typeof inserted === 'object' ? inserted.id : inserted);
  }

  async insertAlbum(trx: Knex.Transaction, album: NewAlbum, createdAt: string): Promise<number> {
    const [inserted] = await trx(ALBUMS)
      .insert({
        title: album.title,
        artist_id: album.artistId,
        genre: album.genre,
        release_year: album.releaseYear,
        price_cents: album.priceCents,
        created_at: createdAt,
      })
      .returning('id');
    return Number(typeof inserted === 'object' ? inserted.id : inserted);
  }

  async insertTracks(
    trx: Knex.Transaction,
    albumId: number,
    tracks: NewAlbum['tracks'],
  ): Promise<void> {
    if (tracks.length === 0) return;
    await trx(TRACKS).insert(
      tracks.map((track, index) => ({
        album_id: albumId,
        position: index + 1,
        title: track.title,
        duration_seconds: track.durationSeconds,
      })),
    );
  }

  async updatePrice(id: number, priceCents: number): Promise<boolean> {
    const updated = await this.db(ALBUMS).where({ id }).update({ price_cents: priceCents });
    return updated > 0;
  }
}
