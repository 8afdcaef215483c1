import { AlbumSummary, toAlbumSummary } from '../catalog';
import { notFound } from '../errors';
import { Database, RecommendationRepository } from './repository';

export interface Recommendation extends AlbumSummary {
  reason: string;
}

export class RecommendationService {
  private readonly repository: RecommendationRepository;

  constructor(db: Database) {
    this.repository = new RecommendationRepository(db);
  }

  /** Albums in the genres a customer already buys that they do not own yet, most popular first. */
  async recommendForCustomer(customerId: number, limit: number): Promise<{ customerId: number; items: Recommendation[] }> {
    if (!(await this.repository.customerExists(customerId))) throw notFound('customer', customerId);
    const genres = await this.repository.listPurchasedGenres(customerId);
    if (genres.length === 0) return { customerId, items: [] };
    const rows = await this.repository.listPopularUnowned(customerId, genres, limit);
    const items = rows.map((row) => ({ ...toAlbumSummary(row), reason: `you bought ${row.genre} albums` }));
    return { customerId, items };
  }

  /** Best sellers of the same genre, for an album page. */
  async youMayAlsoLike(album: { id: number; genre: string }, limit: number): Promise<AlbumSummary[]> {
    const rows = await this.repository.listPopularInGenre(album.genre, album.id, limit);
    return rows.map(toAlbumSummary);
  }
}
