import type { Knex } from 'knex';
import { toNumber } from '../../../common/src/database';

const ALBUMS = 'albums';
const ARTISTS = 'artists';
const TRACKS = 'tracks';

export interface AlbumRow {
  id: number;
  title: string;
  artist_id: number;
  artist_name: string;
  genre: string;
  release_year: number;
  price_cents: number;
}

export interface TrackRow {
  position: number;
  title: string;
  duration_seconds: number;
}

export interface AlbumFilter {
  genre?: string;
  artistId?: number;
  q?: string;
  ids?: number[];
}

export interface NewAlbum {
  title: string;
  artistId: number;
  genre: string;
  releaseYear: number;
  priceCents: number;
  tracks: { title: string; durationSeconds: number }[];
}

// SECURITY: a search term is matched literally: LIKE wildcards are escaped and the value is a binding.
function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The only file of the catalog service that touches knex. */
export class CatalogRepository {
  constructor(private readonly db: Knex) {}

  private albumQuery(db: Knex = this.db) {
    return db(ALBUMS)
      .join(ARTISTS, `${ARTISTS}.id`, `${ALBUMS}.artist_id`)
      .select(
        `${ALBUMS}.id`,
        `${ALBUMS}.title`,
        `${ALBUMS}.artist_id`,
        `${ARTISTS}.name as artist_name`,
        `${ALBUMS}.genre`,
        `${ALBUMS}.release_year`,
        `${ALBUMS}.price_cents`,
      );
  }

  private applyFilter(query: Knex.QueryBuilder, filter: AlbumFilter): Knex.QueryBuilder {
    if (filter.genre) query.whereRaw(`lower(${ALBUMS}.genre) = ?`, [filter.genre.toLowerCase()]);
    if (filter.artistId) query.where(`${ALBUMS}.artist_id`, filter.artistId);
    if (filter.ids !== undefined) query.whereIn(`${ALBUMS}.id`, filter.ids);
    if (filter.q)
      query.whereRaw(`lower(${ALBUMS}.title) like ? escape '\\'`, [likePattern(filter.q)]);
    return query;
  }

  async listAlbums(
    filter: AlbumFilter,
    offset: number,
    limit: number,
  ): Promise<{ rows: AlbumRow[]; total: number }> {
    const counted = await this.applyFilter(this.db(ALBUMS), filter).count({ total: '*' }).first();
    const rows = await this.applyFilter(this.albumQuery(), filter)
      .orderBy(`${ALBUMS}.id`)
      .offset(offset)
      .limit(limit);
    return { rows, total: toNumber(counted?.total) };
  }

  async findAlbum(id: number): Promise<AlbumRow | undefined> {
    return this.albumQuery().where(`${ALBUMS}.id`, id).first();
  }

  async listTracks(albumId: number): Promise<TrackRow[]> {
    return this.db(TRACKS)
      .select('position', 'title', 'duration_seconds')
      .where({ album_id: albumId })
      .orderBy('position');
  }

  /** Other albums of the same genre, oldest id first: the service's stand-in for "most sold" (it has no orders). */
  async listSameGenre(albumId: number, genre: string, limit: number): Promise<AlbumRow[]> {
    return this.albumQuery()
      .where(`${ALBUMS}.genre`, genre)
      .whereNot(`${ALBUMS}.id`, albumId)
      .orderBy(`${ALBUMS}.id`)
      .limit(limit);
  }

  async insertAlbum(album: NewAlbum, createdAt: string): Promise<number> {
    return this.db.transaction(async (trx) => {
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
      const id = toNumber(typeof inserted === 'object' ? inserted.id : inserted);
      if (album.tracks.length > 0) {
        await trx(TRACKS).insert(
          album.tracks.map((track, index) => ({
            album_id: id,
            position: index + 1,
            title: track.title,
            duration_seconds: track.durationSeconds,
          })),
        );
      }
      return id;
    });
  }

  async insertArtist(name: string): Promise<number> {
    const [inserted] = await this.db(ARTISTS).insert({ name }).returning('id');
    return toNumber(typeof inserted === 'object' ? inserted.id : inserted);
  }

  async updatePrice(id: number, priceCents: number): Promise<boolean> {
    const changed = await this.db(ALBUMS).where({ id }).update({ price_cents: priceCents });
    return toNumber(changed) > 0;
  }

  async findArtist(id: number): Promise<{ id: number; name: string } | undefined> {
    return this.db(ARTISTS).select('id', 'name').where({ id }).first();
  }

  async listArtists(
    offset: number,
    limit: number,
  ): Promise<{ rows: { id: number; name: string; album_count: unknown }[]; total: number }> {
    const counted = await this.db(ARTISTS).count({ total: '*' }).first();
    const albumCount = this.db(ALBUMS)
      .count('*')
      .where(`${ALBUMS}.artist_id`, this.db.ref(`${ARTISTS}.id`))
      .as('album_count');
    const rows = await this.db(ARTISTS)
      .select(`${ARTISTS}.id`, `${ARTISTS}.name`, albumCount)
      .orderBy(`${ARTISTS}.id`)
      .offset(offset)
      .limit(limit);
    return { rows, total: toNumber(counted?.total) };
  }
}
