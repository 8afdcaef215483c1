export interface ColumnSchema {
  name: string;
  type: string;
  nullable: boolean;
}

export interface ForeignKey {
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  /** CASCADE, RESTRICT, SET NULL, SET DEFAULT, NO ACTION; 'none' for implied keys. */
  onDelete: string;
  /** True for a key guessed from naming (`album_id` → `albums.id`), not declared in the database. */
  implied: boolean;
}

export interface IndexSchema {
  name: string;
  columns: string[];
  unique: boolean;
}

export interface TableSchema {
  name: string;
  /** 'view' for views and materialized views: read-only, never given implied keys. */
  kind: 'table' | 'view';
  columns: ColumnSchema[];
  primaryKey: string[];
  indexes: IndexSchema[];
}

export interface DatabaseSchema {
  engine: 'sqlite' | 'postgres';
  /** Where it came from, with any password redacted. */
  source: string;
  tables: TableSchema[];
  foreignKeys: ForeignKey[];
}

/** Bookkeeping tables of migration tools, never part of a domain. */
export const IGNORED_TABLES = new Set([
  'knex_migrations',
  'knex_migrations_lock',
  'schema_migrations',
  'sqlite_sequence',
]);
