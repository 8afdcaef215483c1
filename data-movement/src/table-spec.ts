/** One side of a moved table: its name and its columns in the order both sides share. */
export interface TableSpec {
  name: string;
  /** A single-column key, unique and never null: keyset pagination, upserts and change capture use it. */
  key: string;
  keyType: 'integer' | 'text';
  /** Copied and compared columns, key included; position i on one side is position i on the other. */
  columns: string[];
}

/** The same table as the side that sends rows (`from`) and the side that receives them (`to`) see it. */
export interface TablePair {
  from: TableSpec;
  to: TableSpec;
}

/**
 * What one run of backfill, verify or sync moves: the data set's tables,
 * oriented from the side that owns the data to the other one.
 */
export interface Flow {
  /** The data set's name; checkpoints are kept under it. */
  set: string;
  /** Parents before children: copies and upserts go in this order, deletes in reverse. */
  tables: TablePair[];
}
