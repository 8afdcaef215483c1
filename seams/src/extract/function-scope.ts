import type { ts } from './typescript';
import type { AccessFact, CallFact, ClassFact, FunctionFact, TransactionFact } from './facts';
import type { Declarations } from './collect-declarations';

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
  visit(node: ts.Node, parent: ts.Node | undefined, scope: Scope): void;
}

/** The function being walked; nested callbacks share their function's scope. */
export interface Scope {
  fn: FunctionFact;
  className?: string;
  /** The transactions whose callback the walk is inside (innermost last). */
  transactions: TransactionFact[];
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
