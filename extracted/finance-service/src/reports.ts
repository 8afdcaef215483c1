import { toNumber } from '../../../common/src/database';
import type { CatalogClient } from './catalog-client';
import type { FinanceRepository, TimeRange } from './repository';

export interface BestSellerQuery extends TimeRange {
  by: 'revenue' | 'units';
  genre?: string;
  limit: number;
}

export interface BestSeller {
  albumId: number;
  title: string | null;
  genre: string | null;
  units: number;
  revenueCents: number;
  /** Present (true) only when the catalog service no longer knows the album. */
  albumMissing?: true;
}

const CHUNK = 100;

export class FinanceReports {
  constructor(
    private readonly repository: FinanceRepository,
    private readonly catalog: CatalogClient,
  ) {}

  /**
   * The monolith joined albums; here the ledger is ranked first, then the
   * catalog service names the albums, 100 at a time. Without a genre filter an
   * album the catalog no longer has stays in the ranking (title and genre null,
   * albumMissing: true): the money was real. With a genre filter its genre is
   * unknown, so it is left out. A catalog outage is a 503, never a partial report.
   */
  async bestSellers(query: BestSellerQuery, correlationId?: string): Promise<BestSeller[]> {
    const wanted = query.genre?.toLowerCase();
    const result: BestSeller[] = [];
    for (let offset = 0; result.length < query.limit; offset += CHUNK) {
      const size = wanted ? CHUNK : query.limit - result.length;
      const sales = await this.repository.salesByAlbum(query, query.by, offset, size);
      const albums = await this.catalog.findAlbums(
        sales.map((s) => Number(s.album_id)),
        correlationId,
      );
      for (const sale of sales) {
        const album = albums.get(Number(sale.album_id));
        if (wanted && album?.genre.toLowerCase() !== wanted) continue;
        const row: BestSeller = {
          albumId: Number(sale.album_id),
          title: album?.title ?? null,
          genre: album?.genre ?? null,
          units: toNumber(sale.units),
          revenueCents: toNumber(sale.revenue_cents),
        };
        if (!album) row.albumMissing = true;
        if (result.length < query.limit) result.push(row);
      }
      if (sales.length < size) break;
    }
    return result;
  }

  async revenueByCountry(range: TimeRange) {
    const rows = await this.repository.revenueByCountry(range);
    return rows.map((r) => ({
      countryCode: r.country_code,
      countryName: r.country_name,
      taxRateBp: Number(r.tax_rate_bp),
      revenueCents: toNumber(r.revenue_cents),
      taxCents: toNumber(r.tax_cents),
    }));
  }
}
