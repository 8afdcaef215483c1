import { type ts, tsv as sharedTsv, unwrapExpression } from './typescript';
import type { AccessMode, TableRef } from './facts';
import { tableRefOf } from './table-refs';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

/** One `.method(args)` (or `.property`) link of a builder chain, innermost first. */
export interface ChainStep {
  name: string;
  args?: ts.NodeArray<ts.Expression>;
}

export interface Chain {
  /** The expression the chain starts from: an identifier, `this`, or something else. */
  root: ts.Expression;
  /** Arguments of a call on the root itself: `db('orders')` → ['orders']. */
  rootArgs?: ts.NodeArray<ts.Expression>;
  steps: ChainStep[];
}

/** Walks `a.b(x).c().d(y)` from its outermost call down to `a`. */
export function collectChain(outer: ts.CallExpression): Chain {
  const steps: ChainStep[] = [];
  let node: ts.Expression = outer;
  for (;;) {
    if (tsv.isCallExpression(node)) {
      const callee = unwrapExpression(node.expression);
      if (tsv.isPropertyAccessExpression(callee)) {
        steps.unshift({ name: callee.name.text, args: node.arguments });
        node = unwrapExpression(callee.expression);
        continue;
      }
      return { root: callee, rootArgs: node.arguments, steps };
    }
    if (tsv.isPropertyAccessExpression(node)) {
      steps.unshift({ name: node.name.text });
      node = unwrapExpression(node.expression);
      continue;
    }
    return { root: node, steps };
  }
}

export const WRITE_METHODS = new Set([
  'insert',
  'update',
  'del',
  'delete',
  'truncate',
  'upsert',
  'increment',
  'decrement',
  'merge',
]);
export const TABLE_METHODS = new Set(['from', 'into', 'table']);
export const JOIN_METHODS = new Set([
  'join',
  'innerJoin',
  'leftJoin',
  'leftOuterJoin',
  'rightJoin',
  'rightOuterJoin',
  'fullOuterJoin',
  'crossJoin',
  'outerJoin',
]);
/** Common table expressions: their first argument names a query, not a table. */
export const CTE_METHODS = new Set([
  'with',
  'withRecursive',
  'withMaterialized',
  'withNotMaterialized',
]);
/** Methods whose callback receives results or errors, not a query builder. */
export const RESULT_METHODS = new Set(['then', 'catch', 'finally', 'asCallback', 'on', 'stream']);
export const RAW_METHODS = new Set([
  'raw',
  'whereRaw',
  'orWhereRaw',
  'joinRaw',
  'fromRaw',
  'havingRaw',
  'orderByRaw',
  'selectRaw',
  'groupByRaw',
]);

export interface ChainTable {
  ref: TableRef;
  mode: AccessMode;
  via: string;
}

/**
 * Reads a knex builder chain whose knex reference has already been found:
 * `tableArgs` are the arguments of `knex(…)` itself (absent for `knex.from(…)`).
 */
export function readChainTables(
  tableArgs: ts.NodeArray<ts.Expression> | undefined,
  steps: ChainStep[],
  className: string | undefined,
  sf: ts.SourceFile,
): ChainTable[] {
  if (steps.some((step) => step.name === 'schema' || step.name === 'transaction')) return [];
  const mode: AccessMode = steps.some((step) => WRITE_METHODS.has(step.name)) ? 'write' : 'read';
  const tables: ChainTable[] = [];
  const first = tableArgs?.[0];
  if (first) {
    const ref = tableRefOf(first, className, sf);
    if (ref) tables.push({ ref, mode, via: 'knex()' });
  }
  for (const step of steps) {
    const arg = step.args?.[0];
    if (!arg) continue;
    if (TABLE_METHODS.has(step.name)) {
      const ref = tableRefOf(arg, className, sf);
      if (ref) tables.push({ ref, mode, via: `.${step.name}` });
    } else if (JOIN_METHODS.has(step.name)) {
      const ref = tableRefOf(arg, className, sf);
      if (ref) tables.push({ ref, mode: 'read', via: `.${step.name}` });
    }
  }
  return tables;
}
