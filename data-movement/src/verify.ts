import type { Knex } from 'knex';
import type { Endpoints } from './endpoints';
import { Checksum, hashRow } from './row-hash';
import { compareKeys, type Key, keyOf, readBatch, type Row } from './table-reader';
import type { Flow, TablePair, TableSpec } from './table-spec';

export interface TableVerdict {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  /** First keys of each kind (up to maxKeys); the counts are exact. */
  missingInTarget: Key[];
  extraInTarget: Key[];
  changed: Key[];
  differences: number;
  equal: boolean;
}

/** One side of a table in key order, read a batch at a time, with its running count and checksum. */
class KeyedStream {
  private buffer: Row[] = [];
  private index = 0;
  private after: Key | undefined;
  private exhausted = false;
  /** The following batch, already requested: the database works while this side hashes. */
  private prefetch: Promise<Row[]> | undefined;
  rows = 0;
  readonly checksum = new Checksum();
  key: Key | undefined;
  hash: [number, number] = [0, 0];

  constructor(
    private readonly db: Knex,
    private readonly table: TableSpec,
    private readonly batchSize: number,
  ) {}

  /** Moves to the next row (key undefined at the end); awaits only when a new batch is needed. */
  async advance(): Promise<void> {
    if (this.index >= this.buffer.length && !this.exhausted) {
      this.buffer = await (this.prefetch ??
        readBatch(this.db, this.table, this.after, this.batchSize));
      this.index = 0;
      this.exhausted = this.buffer.length < this.batchSize;
      if (this.buffer.length > 0)
        this.after = keyOf(this.table, this.buffer[this.buffer.length - 1]);
      this.prefetch = this.exhausted
        ? undefined
        : readBatch(this.db, this.table, this.after, this.batchSize);
      // An unawaited read that fails must not crash the process before it is awaited.
      this.prefetch?.catch(() => undefined);
    }
    this.step();
  }

  needsRead(): boolean {
    return this.index >= this.buffer.length && !this.exhausted;
  }

  /** Synchronous move within the current batch. */
  step(): void {
    if (this.index >= this.buffer.length) {
      this.key = undefined;
      return;
    }
    const row = this.buffer[this.index++];
    this.key = keyOf(this.table, row);
    this.hash = hashRow(row);
    this.rows += 1;
    this.checksum.add(this.hash);
  }
}

const move = (stream: KeyedStream) => (stream.needsRead() ? stream.advance() : stream.step());

async function verifyTable(
  endpoints: Endpoints,
  table: TablePair,
  batchSize: number,
  maxKeys: number,
): Promise<TableVerdict> {
  const source = new KeyedStream(endpoints.source, table.from, batchSize);
  const target = new KeyedStream(endpoints.target, table.to, batchSize);
  const verdict = {
    missingInTarget: [] as Key[],
    extraInTarget: [] as Key[],
    changed: [] as Key[],
    differences: 0,
  };
  const note = (list: Key[], key: Key) => {
    verdict.differences += 1;
    if (list.length < maxKeys) list.push(key);
  };
  // A merge join over both key-ordered streams: it names the differing keys, not just the tables.
  await Promise.all([source.advance(), target.advance()]);
  while (source.key !== undefined || target.key !== undefined) {
    const order =
      source.key === undefined
        ? 1
        : target.key === undefined
          ? -1
          : compareKeys(source.key, target.key);
    if (order < 0) {
      note(verdict.missingInTarget, source.key!);
      await move(source);
    } else if (order > 0) {
      note(verdict.extraInTarget, target.key!);
      await move(target);
    } else {
      // Rows are compared by their 64-bit hashes: equal text encodings ⇔ equal hashes, barring a 2^-64 collision.
      if (source.hash[0] !== target.hash[0] || source.hash[1] !== target.hash[1])
        note(verdict.changed, source.key!);
      await move(source);
      await move(target);
    }
  }
  return {
    table: table.from.name,
    sourceRows: source.rows,
    targetRows: target.rows,
    sourceChecksum: source.checksum.toString(),
    targetChecksum: target.checksum.toString(),
    ...verdict,
    equal:
      verdict.differences === 0 &&
      source.checksum.equals(target.checksum) &&
      source.rows === target.rows,
  };
}

/** Row counts, order-independent checksums and differing keys for every table of a flow (from its owner to the copy). */
export async function verifyFlow(
  endpoints: Endpoints,
  spec: Flow,
  options: { batchSize?: number; maxKeys?: number } = {},
): Promise<TableVerdict[]> {
  const verdicts: TableVerdict[] = [];
  for (const table of spec.tables)
    verdicts.push(
      await verifyTable(endpoints, table, options.batchSize ?? 10_000, options.maxKeys ?? 20),
    );
  return verdicts;
}
