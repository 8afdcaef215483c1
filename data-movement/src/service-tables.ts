import { UsageError } from '../../common/src/cli';

export interface TableSpec {
  name: string;
  /** A single-column key, unique and never null: keyset pagination, upserts and change capture use it. */
  key: string;
  keyType: 'integer' | 'text';
  /** Copied and compared columns, key included (same names in the monolith and the service). */
  columns: string[];
}

export interface ServiceSpec {
  service: string;
  /** The migrations folder of the target (migrations/<component>/). */
  component: string;
  /** Environment variable naming the target database; default data/<component>.sqlite. */
  targetEnv: string;
  /** Parents before children: backfill and upserts go in this order, deletes in reverse. */
  tables: TableSpec[];
}

/** The one place that says which monolith tables each extracted service takes with it. */
export const SERVICE_TABLES: readonly ServiceSpec[] = [
  {
    service: 'catalog',
    component: 'catalog-service',
    targetEnv: 'CATALOG_DATABASE_URL',
    tables: [
      { name: 'artists', key: 'id', keyType: 'integer', columns: ['id', 'name'] },
      {
        name: 'albums',
        key: 'id',
        keyType: 'integer',
        columns: ['id', 'title', 'artist_id', 'genre', 'release_year', 'price_cents', 'created_at'],
      },
      {
        name: 'tracks',
        key: 'id',
        keyType: 'integer',
        columns: ['id', 'album_id', 'position', 'title', 'duration_seconds'],
      },
    ],
  },
  {
    service: 'finance',
    component: 'finance-service',
    targetEnv: 'FINANCE_DATABASE_URL',
    tables: [
      // Static reference data: the service keeps its own copy instead of reading the monolith's.
      {
        name: 'countries',
        key: 'code',
        keyType: 'text',
        columns: ['code', 'name', 'tax_rate_bp', 'shipping_zone'],
      },
      {
        name: 'ledger_entries',
        key: 'id',
        keyType: 'integer',
        columns: [
          'id',
          'order_id',
          'customer_id',
          'kind',
          'amount_cents',
          'tax_cents',
          'country_code',
          'recorded_at',
        ],
      },
      {
        name: 'ledger_lines',
        key: 'id',
        keyType: 'integer',
        columns: ['id', 'ledger_entry_id', 'album_id', 'quantity', 'amount_cents'],
      },
    ],
  },
];

/** Accepts `catalog` or `catalog-service`. */
export function findService(name: string): ServiceSpec {
  const spec = SERVICE_TABLES.find((s) => s.service === name || s.component === name);
  if (!spec) {
    const known = SERVICE_TABLES.map((s) => s.service).join(', ');
    throw new UsageError(
      `unknown service "${name}" (known: ${known}); example: strangler data backfill catalog`,
    );
  }
  return spec;
}
