import type { AccessMode, ImportKind } from './extract/facts';

/** A resolved import between two files of the analysed tree. */
export interface ImportEdge {
  from: string;
  to: string;
  fromContext?: string;
  toContext?: string;
  line: number;
  specifier: string;
  kind: ImportKind;
  typeOnly: boolean;
  names: string[];
  /** The barrel (index file) the import went through to reach `to`. */
  via?: string;
  /** To or from a test double or fake (seams.yaml `testDoubles`): not runtime coupling. */
  testDouble?: boolean;
}

/** A table read or written by a function, with the table name resolved. */
export interface TableAccess {
  table: string;
  mode: AccessMode;
  file: string;
  line: number;
  context?: string;
  /** `Class.method` or function name. */
  symbol: string;
  via: string;
}

export interface TransactionTable {
  table: string;
  mode: AccessMode;
  context?: string;
  file: string;
  line: number;
  /** Functions from the transaction body to the access, e.g. ['WarehouseService.placeOrder', 'recordOrderPayment', 'FinanceRepository.insertEntry']. */
  path: string[];
}

export interface Transaction {
  file: string;
  line: number;
  context?: string;
  symbol: string;
  text: string;
  /**
   * 'knex': `db.transaction(cb)`; 'wrapper': a project function that opens knex's
   * transaction around the callback; 'configured': a wrapper named in seams.yaml;
   * 'name-only': a `.transaction(cb)` that could not be resolved.
   */
  confidence: 'knex' | 'wrapper' | 'configured' | 'name-only';
  /** For 'wrapper': the function that wraps knex's transaction and the call it makes. */
  wrapper?: { symbol: string; file: string; line: number; knexCall: string };
  tables: TransactionTable[];
}

export interface FunctionNode {
  key: string;
  file: string;
  line: number;
  symbol: string;
  context?: string;
  accesses: TableAccess[];
  /** Resolved calls; `inTransaction` when made inside a transaction callback. */
  calls: Array<{ key: string; line: number; inTransaction: boolean; awaited: boolean }>;
}

export interface ConfidenceItem {
  kind: 'unresolved-import' | 'unresolved-table' | 'parse-error' | 'missing-package';
  file: string;
  line: number;
  detail: string;
}

export interface CodeModel {
  root: string;
  files: Array<{ path: string; context?: string }>;
  contexts: string[];
  imports: ImportEdge[];
  accesses: TableAccess[];
  functions: Map<string, FunctionNode>;
  transactions: Transaction[];
  confidence: ConfidenceItem[];
  stats: { files: number; parsed: number; reused: number; externalImports: number };
}
