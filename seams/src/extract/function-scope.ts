import type { ts } from './typescript';
import type { AccessFact, CallFact, ClassFact, FunctionFact, TransactionFact } from './facts';
import type { Declarations } from './collect-declarations';
import type { SqlParser } from './read-sql';

/** What the detectors of one file's walk share: the file, its declarations and what is found so far. */
export interface FileWalk {
  sf: ts.SourceFile;
  decl: Declarations;
  functions: FunctionFact[];
  classes: ClassFact[];
  /** Class name → fields that hold a knex instance (typed `Knex`, or assigned a knex handle). */
  knexFields: Map<string, Set<string>>;
  /** String and template literals already read as SQL, so the generic literal pass skips them. */
  consumed: Set<ts.Node>;
  /** `function () { this.from(…) }` callbacks given to a builder method: `this` is a builder in them. */
  builderCallbacks: Set<ts.Node>;
  /** The accesses each recognised builder chain (its outermost call) recorded, and its base tables. */
  chains: Map<ts.Node, BuilderChain>;
  /** PostgreSQL's parser when loaded for this file (see read-sql). */
  sqlParser?: SqlParser;
  /** The module's own scope: handles declared at the top level are seen by every function. */
  moduleScope?: Scope;
  visit(node: ts.Node, parent: ts.Node | undefined, scope: Scope): void;
}

/** The function being walked; nested callbacks share their function's scope. */
export interface Scope {
  fn: FunctionFact;
  className?: string;
  /** The transactions whose callback the walk is inside (innermost last). */
  transactions: TransactionFact[];
  /** Local names holding knex or a builder: builder callbacks' parameters, `const db = trx ?? this.knex`. */
  handles: Set<string>;
  /** Variables holding a builder chain (`let q = this.db(T)`), extended or run later. */
  builders: Map<string, BuilderChain>;
  /** Parameter names of the function, to recognise a transaction wrapper calling its callback. */
  params: string[];
  /** Parameters the function calls or hands to knex's `.transaction()`. */
  calledParams: Set<string>;
  /** Inside a `function` callback of a builder method, where `this` is the builder. */
  thisIsBuilder?: boolean;
}

/** A builder chain: what it recorded, and its base tables (`db(T)`, `.from(T)`: not joins). */
export interface BuilderChain {
  accesses: AccessFact[];
  base: AccessFact[];
}

export function createScope(fn: FunctionFact, className?: string, params: string[] = []): Scope {
  return {
    fn,
    className,
    transactions: [],
    handles: new Set(),
    builders: new Map(),
    params,
    calledParams: new Set(),
  };
}

export function createFunction(id: string, line: number, className?: string): FunctionFact {
  return { id, line, className, accesses: [], calls: [], variableTypes: {}, transactions: [] };
}

export function recordAccess(scope: Scope, access: AccessFact): void {
  scope.fn.accesses.push(access);
  for (const tx of scope.transactions) tx.accesses.push(access);
}

export function recordCall(scope: Scope, call: CallFact): void {
  scope.fn.calls.push(call);
  for (const tx of scope.transactions) tx.calls.push(call);
}
