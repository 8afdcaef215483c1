// The syntactic facts extracted from one file. They depend only on the file's
// text, so they are what the on-disk cache stores (keyed by a content hash).

export type ImportKind = 'static' | 'reexport' | 'require' | 'dynamic';

export interface ImportFact {
  specifier: string;
  line: number;
  kind: ImportKind;
  typeOnly: boolean;
  /** Imported names: 'default', '*', or the exported name in the target. */
  names: string[];
  /** For re-exports: exported name → name in the target ('*' for `export *`). */
  reexports?: Record<string, string>;
}

/** How a table name was written at the call site, resolved later across files. */
export type TableRef =
  | { kind: 'literal'; value: string }
  | { kind: 'identifier'; name: string }
  | { kind: 'member'; object: string; name: string }
  | { kind: 'this-field'; className: string; name: string }
  | { kind: 'unknown'; text: string };

export type AccessMode = 'read' | 'write';

export interface AccessFact {
  ref: TableRef;
  mode: AccessMode;
  line: number;
  /** The knex form or 'raw-sql' that produced it, e.g. "db()", ".join", ".raw". */
  via: string;
}

export type CalleeRef =
  | { kind: 'identifier'; name: string }
  | { kind: 'this-method'; className: string; name: string }
  | { kind: 'this-field-method'; className: string; field: string; name: string }
  | { kind: 'variable-method'; variable: string; name: string }
  | { kind: 'new-method'; className: string; name: string };

export interface CallFact {
  callee: CalleeRef;
  line: number;
  /** Directly awaited: the caller waits for it before going on (a synchronous step). */
  awaited: boolean;
}

export interface TransactionFact {
  line: number;
  /** Source text of the receiver, e.g. "this.repository.transaction". */
  text: string;
  /** True when the receiver itself is a knex instance (`db.transaction(cb)`). */
  knexReceiver: boolean;
  /** The `.transaction` call itself, to check a wrapper resolves to knex's. */
  callee?: CalleeRef;
  accesses: AccessFact[];
  calls: CallFact[];
}

/**
 * A call that hands a callback to another function (`withTransaction(db, async (tx) => …)`,
 * `this.transactional(async () => …)`): a transaction when the callee turns out to open a
 * knex transaction around it (or is named in seams.yaml). The callback's tables and calls are
 * the half-open ranges [from, to) of the function's `accesses` and `calls`.
 */
export interface CallbackFact {
  line: number;
  /** Source text of the callee, e.g. "withTransaction", "this.transactional". */
  text: string;
  callee: CalleeRef;
  argIndex: number;
  accesses: [number, number];
  calls: [number, number];
  /** A named function passed instead of an inline one (`withTransaction(db, placeOrderSteps)`). */
  ref?: CalleeRef;
}

export interface FunctionFact {
  /** Unique within the file: 'placeOrder', 'WarehouseService.placeOrder', '<module>'. */
  id: string;
  line: number;
  className?: string;
  accesses: AccessFact[];
  calls: CallFact[];
  /** Local variables and parameters → class name (from annotations or `new X()`). */
  variableTypes: Record<string, string>;
  /** The body calls knex's own `.transaction()` (its text, e.g. 'this.db.transaction'); recognises wrappers. */
  knexTransaction?: string;
  transactions: TransactionFact[];
  /** A knex transaction wrapper: the index of the parameter it runs inside the transaction. */
  transactionCallbackParam?: number;
  /** Calls with a callback argument, candidates for project transaction wrappers. */
  callbacks?: CallbackFact[];
  /** Names the function gives to common table expressions (`.with('ranked', …)`): not tables. */
  cteNames?: string[];
}

export interface ClassFact {
  name: string;
  line: number;
  /** Field → class name of its type (constructor parameter properties, annotations, `new X()`). */
  fieldTypes: Record<string, string>;
  /** Field → string value (`private readonly table = 'orders'`). */
  stringFields: Record<string, string>;
  /** Field → identifier it is initialised from (`private readonly table = ORDERS`). */
  fieldIdentifiers: Record<string, string>;
  /** The class it extends, as written (`BaseRepository`, `base.Repository`). */
  extends?: string;
  /** Constructor parameter names, in order. */
  ctorParams?: string[];
  /** Field → constructor parameter it is set from (`constructor(protected table: string)`, `this.table = table`). */
  ctorParamFields?: Record<string, number>;
  /** How each `super(…)` argument was written (undefined for what is not a table reference). */
  superArgs?: Array<TableRef | null>;
}

export interface FileFacts {
  imports: ImportFact[];
  /** Local import bindings: local name → where it comes from. */
  bindings: Record<string, { specifier: string; imported: string }>;
  /** Exported name → local name ('default' for a default export). */
  exports: Record<string, string>;
  /** NAME → string, also 'Enum.Member' and 'OBJECT.key'. */
  constants: Record<string, string>;
  /** A constant that renames another: NAME (or 'OBJECT.key') → the dotted name it is set to. */
  aliases?: Record<string, string>;
  classes: ClassFact[];
  functions: FunctionFact[];
  parseErrors: Array<{ line: number; message: string }>;
}
