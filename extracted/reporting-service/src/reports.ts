import type { TimeRange } from './date-range';
import type { ReportingRepository } from './repository';

/** The reports, from the reporting database only; numbers agree with finance's reports. */
export class Reports {
  constructor(private readonly repository: ReportingRepository) {}

  async revenueByCountry(range: TimeRange) {
    const rows = await this.repository.revenueByCountry(range);
    return rows.sort(
      (a, b) => b.revenueCents - a.revenueCents || a.countryCode.localeCompare(b.countryCode),
    );
  }

  async bestSellers(query: TimeRange & { by: 'revenue' | 'units'; limit: number }) {
    const key = query.by === 'units' ? 'units' : 'revenueCents';
    const rows = await this.repository.salesByAlbum(query);
    return rows.sort((a, b) => b[key] - a[key] || a.albumId - b.albumId).slice(0, query.limit);
  }

  status() {
    return this.repository.counts();
  }
}
