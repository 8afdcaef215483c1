import { type AlbumSummary, pickAlbumSummary } from '../catalog';
import type { CatalogPort } from '../catalog-port';
import { notFound } from '../errors';
import { rankAlbums } from './rank-albums';
import { type Database, RecommendationRepository } from './repository';

export interface Recommendation extends AlbumSummary {
  reason: string;
}

export class RecommendationService {
  private readonly repository: RecommendationRepository;

  constructor(
    db: Database,
    private readonly catalog: CatalogPort,
  ) {
    this.repository = new RecommendationRepository(db);
  }

  /** Albums in the genres a customer already buys that they do not own yet, most popular first. */
  async recommendForCustomer(
    customerId: number,
    limit: number,
  ): Promise<{ customerId: number; items: Recommendation[] }> {
    if (!(await this.repository.customerExists(customerId))) throw notFound('customer', customerId);
    const owned = await this.repository.listPurchasedAlbumIds(customerId);
    if (owned.length === 0) return { customerId, items: [] };
    const genres = [
      ...new Set([...(await this.catalog.findAlbums(owned)).values()].map((album) => album.genre)),
    ].sort();
    if (genres.length === 0) return { customerId, items: [] };
    const albums = await rankAlbums(this.catalog, await this.repository.rankSales(), {
      genres,
      exclude: new Set(owned),
      limit,
    });
    const items = albums.map((album) => ({
      ...pickAlbumSummary(album),
      reason: `you bought ${album.genre} albums`,
    }));
    return { customerId, items };
  }

  /** Best sellers of the same genre, for an album page. */
  async youMayAlsoLike(
    album: { id: number; genre: string },
    limit: number,
  ): Promise<AlbumSummary[]> {
    const albums = await rankAlbums(this.catalog, await this.repository.rankSales(), {
      genres: [album.genre],
      exclude: new Set([album.id]),
      limit,
    });
    return albums.map(pickAlbumSummary);
  }
}
