import { createRandom, type Random } from './random';
import { ADJECTIVES, COUNTRIES, FIRST_NAMES, GENRES, LAST_NAMES, NOUNS } from './reference-data';

export type Row = Record<string, string | number | null>;
export interface Batch {
  table: string;
  rows: Row[];
}

export interface SeedPlan {
  scale: number;
  seed: number;
  batchSize: number;
  artists: number;
  albums: number;
  customers: number;
  orders: number;
}

/** Scale 1 is the lively demo (1,000 albums, ~10,000 order lines); scale 100 is 100k albums and ~1M order lines. */
export function planSeed(scale: number, seed = 20260101, batchSize = 5000): SeedPlan {
  const at = (base: number, min: number) => Math.max(min, Math.round(base * scale));
  return {
    scale,
    seed,
    batchSize,
    artists: at(200, 5),
    albums: at(1000, 20),
    customers: at(1000, 10),
    orders: at(4000, 20),
  };
}

/** Rough total of rows, for the progress bar (order lines are random, 2.5 per order on average). */
export function estimateRows(plan: SeedPlan): number {
  const lines = plan.orders * 2.5;
  return (
    COUNTRIES.length +
    plan.artists +
    plan.albums * 10 +
    plan.customers * 4 +
    plan.orders * 2.1 +
    lines * 3.2
  );
}

const EPOCH = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function taxOf(subtotal: number, rateBp: number): number {
  return Math.floor((subtotal * rateBp + 5000) / 10000);
}

function* chunked(table: string, rows: Iterable<Row>, size: number): Generator<Batch> {
  let batch: Row[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield { table, rows: batch };
      batch = [];
    }
  }
  if (batch.length > 0) yield { table, rows: batch };
}

function* catalogRows(plan: SeedPlan, rnd: Random, prices: number[]): Generator<Batch> {
  yield* chunked(
    'artists',
    (function* () {
      for (let id = 1; id <= plan.artists; id++) {
        yield { id, name: `The ${rnd.pick(ADJECTIVES)} ${rnd.pick(NOUNS)} ${id}` };
      }
    })(),
    plan.batchSize,
  );
  yield* chunked(
    'albums',
    (function* () {
      for (let id = 1; id <= plan.albums; id++) {
        const price = 599 + rnd.int(0, 20) * 100 + (rnd.next() < 0.5 ? 99 : 0);
        prices[id] = price;
        yield {
          id,
          title: `${rnd.pick(ADJECTIVES)} ${rnd.pick(NOUNS)}`,
          artist_id: 1 + ((id * 7919 + rnd.int(0, plan.artists)) % plan.artists),
          genre: rnd.pick(GENRES),
          release_year: rnd.int(1960, 2025),
          price_cents: price,
          created_at: iso(EPOCH - rnd.int(0, 3650) * DAY),
        };
      }
    })(),
    plan.batchSize,
  );
  yield* chunked(
    'tracks',
    (function* () {
      let id = 1;
      for (let album = 1; album <= plan.albums; album++) {
        const count = rnd.int(6, 10);
        for (let position = 1; position <= count; position++) {
          yield {
            id: id++,
            album_id: album,
            position,
            title: `${rnd.pick(NOUNS)} of ${rnd.pick(ADJECTIVES)}`,
            duration_seconds: rnd.int(120, 420),
          };
        }
      }
    })(),
    plan.batchSize,
  );
  yield* chunked(
    'stock',
    (function* () {
      for (let album = 1; album <= plan.albums; album++) {
        yield {
          album_id: album,
          quantity: rnd.int(5, 60),
          bin: `${String.fromCharCode(65 + (album % 8))}-${(album % 40) + 1}-${(album % 5) + 1}`,
        };
      }
    })(),
    plan.batchSize,
  );
}

function* customerRows(plan: SeedPlan, rnd: Random, countryOf: string[]): Generator<Batch> {
  const created: string[] = [];
  const emails: string[] = [];
  yield* chunked(
    'customers',
    (function* () {
      for (let id = 1; id <= plan.customers; id++) {
        const first = rnd.pick(FIRST_NAMES);
        const last = rnd.pick(LAST_NAMES);
        const country = COUNTRIES[rnd.skewedIndex(COUNTRIES.length)].code;
        countryOf[id] = country;
        created[id] = iso(EPOCH + rnd.int(0, 700) * DAY);
        emails[id] = `${first}.${last}.${id}@example.com`.toLowerCase();
        yield {
          id,
          email: emails[id],
          name: `${first} ${last}`,
          country_code: country,
          created_at: created[id],
        };
      }
    })(),
    plan.batchSize,
  );
  const perCustomer = (make: (id: number) => Row) =>
    (function* () {
      for (let id = 1; id <= plan.customers; id++) yield make(id);
    })();
  yield* chunked(
    'loyalty_accounts',
    perCustomer((id) => ({
      id,
      customer_id: id,
      points: rnd.int(0, 5000),
      tier: rnd.pick(['bronze', 'bronze', 'silver', 'gold']),
    })),
    plan.batchSize,
  );
  yield* chunked(
    'welcome_emails',
    perCustomer((id) => ({
      id,
      customer_id: id,
      to_address: emails[id],
      status: 'sent',
      queued_at: created[id],
    })),
    plan.batchSize,
  );
  yield* chunked(
    'postal_welcome_packs',
    perCustomer((id) => ({
      id,
      customer_id: id,
      country_code: countryOf[id],
      status: 'posted',
      queued_at: created[id],
    })),
    plan.batchSize,
  );
}

function* orderRows(
  plan: SeedPlan,
  rnd: Random,
  prices: number[],
  countryOf: string[],
): Generator<Batch> {
  const taxRate = new Map<string, number>(COUNTRIES.map((c) => [c.code, c.tax_rate_bp]));
  const ids = { line: 1, pick: 1, entry: 1, ledgerLine: 1 };
  for (let first = 1; first <= plan.orders; first += plan.batchSize) {
    const last = Math.min(plan.orders, first + plan.batchSize - 1);
    const orders: Row[] = [],
      lines: Row[] = [],
      picks: Row[] = [],
      entries: Row[] = [],
      ledgerLines: Row[] = [];
    for (let id = first; id <= last; id++) {
      const customer = 1 + rnd.skewedIndex(plan.customers);
      const country = countryOf[customer];
      const placed = EPOCH + rnd.int(0, 1000) * DAY + rnd.int(0, DAY - 1);
      const roll = rnd.next();
      const status = roll < 0.7 ? 'dispatched' : roll < 0.9 ? 'placed' : 'returned';
      const albums = new Set<number>();
      const count = rnd.int(1, 4);
      while (albums.size < Math.min(count, plan.albums))
        albums.add(1 + rnd.skewedIndex(plan.albums));
      let subtotal = 0;
      const orderLines: Row[] = [];
      for (const album of albums) {
        const quantity = rnd.next() < 0.85 ? 1 : rnd.int(2, 3);
        subtotal += quantity * prices[album];
        orderLines.push({
          id: ids.line++,
          order_id: id,
          album_id: album,
          quantity,
          unit_price_cents: prices[album],
        });
      }
      const tax = taxOf(subtotal, taxRate.get(country) ?? 0);
      orders.push({
        id,
        customer_id: customer,
        country_code: country,
        status,
        subtotal_cents: subtotal,
        tax_cents: tax,
        total_cents: subtotal + tax,
        placed_at: iso(placed),
        dispatched_at: status === 'placed' ? null : iso(placed + DAY),
        returned_at: status === 'returned' ? iso(placed + 10 * DAY) : null,
      });
      lines.push(...orderLines);
      for (const line of orderLines) {
        picks.push({
          id: ids.pick++,
          order_id: id,
          album_id: line.album_id,
          quantity: line.quantity,
          bin: `${String.fromCharCode(65 + (Number(line.album_id) % 8))}-${(Number(line.album_id) % 40) + 1}-${(Number(line.album_id) % 5) + 1}`,
          status: status === 'placed' ? 'pending' : 'picked',
        });
      }
      const kinds = status === 'returned' ? ['payment', 'refund'] : ['payment'];
      for (const kind of kinds) {
        const sign = kind === 'refund' ? -1 : 1;
        const entry = ids.entry++;
        entries.push({
          id: entry,
          order_id: id,
          customer_id: customer,
          kind,
          amount_cents: sign * (subtotal + tax),
          tax_cents: sign * tax,
          country_code: country,
          recorded_at: iso(placed + (kind === 'refund' ? 10 * DAY : 0)),
        });
        for (const line of orderLines) {
          ledgerLines.push({
            id: ids.ledgerLine++,
            ledger_entry_id: entry,
            album_id: line.album_id,
            quantity: line.quantity,
            amount_cents: sign * Number(line.quantity) * Number(line.unit_price_cents),
          });
        }
      }
    }
    yield { table: 'orders', rows: orders };
    yield { table: 'order_lines', rows: lines };
    yield { table: 'pick_instructions', rows: picks };
    yield { table: 'ledger_entries', rows: entries };
    yield { table: 'ledger_lines', rows: ledgerLines };
  }
}

/**
 * Every row of a seeded MusicCorp database, in foreign-key order, in batches.
 * Deterministic: the same plan yields the same rows, on any engine.
 */
export function* generateSeedRows(plan: SeedPlan): Generator<Batch> {
  const rnd = createRandom(plan.seed);
  const prices: number[] = [];
  const countryOf: string[] = [];
  yield { table: 'countries', rows: COUNTRIES.map((c) => ({ ...c })) };
  yield* catalogRows(plan, rnd, prices);
  yield* customerRows(plan, rnd, countryOf);
  yield* orderRows(plan, rnd, prices, countryOf);
}

/** Tables that take generated ids, for resetting PostgreSQL sequences after an explicit-id load. */
export const TABLES_WITH_SERIAL_ID = [
  'artists',
  'albums',
  'tracks',
  'customers',
  'loyalty_accounts',
  'welcome_emails',
  'postal_welcome_packs',
  'orders',
  'order_lines',
  'pick_instructions',
  'ledger_entries',
  'ledger_lines',
];
