import { type ts, tsv as sharedTsv, stringValueOf, unwrapExpression } from './typescript';
import type { AccessMode, TableRef } from './facts';

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

/** 'albums as a' → 'albums'; 'public.albums' → 'albums'. */
export function stripAlias(name: string): string {
  const first = name.trim().split(/\s+as\s+|\s+/i)[0] ?? name;
  return (first.split('.').pop() ?? first).replace(/["`]/g, '');
}

/** `a.b.c` → 'a.b.c' for plain identifier chains, else undefined. */
function dottedName(expr: ts.Expression): string | undefined {
  if (tsv.isIdentifier(expr)) return expr.text;
  if (tsv.isPropertyAccessExpression(expr)) {
    const head = dottedName(unwrapExpression(expr.expression));
    return head ? `${head}.${expr.name.text}` : undefined;
  }
  return undefined;
}

/** Describes how a table-name argument was written, for resolution across files later. */
export function tableRefOf(
  arg: ts.Expression,
  className: string | undefined,
  sf: ts.SourceFile,
): TableRef | undefined {
  const expr = unwrapExpression(arg);
  const literal = stringValueOf(expr);
  if (literal !== undefined) return { kind: 'literal', value: stripAlias(literal) };
  if (tsv.isIdentifier(expr)) return { kind: 'identifier', name: expr.text };
  if (tsv.isPropertyAccessExpression(expr)) {
    const object = unwrapExpression(expr.expression);
    if (object.kind === tsv.SyntaxKind.ThisKeyword)
      return { kind: 'this-field', className: className ?? '', name: expr.name.text };
    const path = dottedName(object);
    if (path) return { kind: 'member', object: path, name: expr.name.text };
  }
  if (tsv.isElementAccessExpression(expr) && tsv.isIdentifier(expr.expression)) {
    const key = stringValueOf(expr.argumentExpression);
    if (key !== undefined) return { kind: 'member', object: expr.expression.text, name: key };
  }
  if (tsv.isObjectLiteralExpression(expr)) {
    // `{ a: 'albums' }` is knex's alias form; any other object (e.g. `knex({ client })`) is no table.
    const only = expr.properties[0];
    if (expr.properties.length === 1 && tsv.isPropertyAssignment(only))
      return tableRefOf(only.initializer, className, sf);
    return undefined;
  }
  // Sub-queries (`.from(function () {…})`, `.from(db('x').as('y'))`) are chains of their own.
  if (tsv.isFunctionExpression(expr) || tsv.isArrowFunction(expr) || tsv.isCallExpression(expr))
    return undefined;
  return { kind: 'unknown', text: expr.getText(sf).slice(0, 80) };
}

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
