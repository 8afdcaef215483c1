import { type ts, tsv as sharedTsv, unwrapExpression } from './typescript';
import type { CallbackFact, CalleeRef, TransactionFact } from './facts';
import { calleeRefOf } from './collect-calls';
import { isKnexExpression } from './detect-table-access';
import type { FileWalk, Scope } from './function-scope';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

/** Callbacks of these never run a transaction body: not worth a candidate each. */
const NOT_WRAPPERS = new Set([
  'map',
  'forEach',
  'filter',
  'reduce',
  'some',
  'every',
  'find',
  'findIndex',
  'flatMap',
  'sort',
  'then',
  'catch',
  'finally',
  'on',
  'once',
  'use',
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'describe',
  'it',
  'test',
  'beforeAll',
  'beforeEach',
  'afterAll',
  'afterEach',
  'setTimeout',
  'setInterval',
]);
/** A named function passed to one of these may be a transaction body: `withTransaction(db, placeOrder)`. */
const WRAPPER_NAME = /trans|tx|atomic|unit.?of.?work/i;

/**
 * `x.transaction(cb)`: remembers when the receiver is knex itself (the function
 * then wraps knex's transaction), and walks the callback with the transaction
 * open so its tables and calls are recorded on it. True when it walked the call.
 */
export function visitTransactionCall(
  walk: FileWalk,
  scope: Scope,
  node: ts.CallExpression,
  line: number,
): boolean {
  const callee = unwrapExpression(node.expression);
  if (!tsv.isPropertyAccessExpression(callee) || callee.name.text !== 'transaction') return false;
  const knexReceiver = isKnexExpression(walk, scope, callee.expression);
  if (knexReceiver) scope.fn.knexTransaction = callee.getText(walk.sf);
  const work = node.arguments[0] && unwrapExpression(node.arguments[0]);
  // `this.db.transaction(work)`: the function hands its own parameter to knex, a wrapper.
  if (work && tsv.isIdentifier(work) && scope.params.includes(work.text))
    scope.calledParams.add(work.text);
  if (!work || !(tsv.isArrowFunction(work) || tsv.isFunctionExpression(work))) return false;
  const tx: TransactionFact = {
    line,
    text: callee.getText(walk.sf),
    knexReceiver,
    callee: knexReceiver ? undefined : calleeRefOf(node, scope.className),
    accesses: [],
    calls: [],
  };
  scope.fn.transactions.push(tx);
  walk.visit(node.expression, node, scope);
  const inner: Scope = { ...scope, transactions: [...scope.transactions, tx] };
  for (const arg of node.arguments)
    walk.visit(arg, node, arg === node.arguments[0] ? inner : scope);
  return true;
}

function functionRefOf(arg: ts.Expression, className: string | undefined): CalleeRef | undefined {
  if (tsv.isIdentifier(arg)) return { kind: 'identifier', name: arg.text };
  if (tsv.isPropertyAccessExpression(arg) && arg.expression.kind === tsv.SyntaxKind.ThisKeyword)
    return { kind: 'this-method', className: className ?? '', name: arg.name.text };
  return undefined;
}

/**
 * Walks the arguments of a call, recording each callback as a candidate
 * transaction body (`withTransaction(db, async (tx) => …)`): the linker keeps it
 * when the callee runs it inside a knex transaction or seams.yaml names the callee.
 */
export function visitCallbackArguments(
  walk: FileWalk,
  scope: Scope,
  node: ts.CallExpression,
  line: number,
): void {
  const callee = unwrapExpression(node.expression);
  const name = tsv.isIdentifier(callee)
    ? callee.text
    : tsv.isPropertyAccessExpression(callee)
      ? callee.name.text
      : undefined;
  const ref = name && !NOT_WRAPPERS.has(name) ? calleeRefOf(node, scope.className) : undefined;
  // Without an inline callback, the body is the last named function passed (callbacks come last).
  const literal = node.arguments.some((arg) => {
    const inner = unwrapExpression(arg);
    return tsv.isArrowFunction(inner) || tsv.isFunctionExpression(inner);
  });
  node.arguments.forEach((arg, argIndex) => {
    const inner = unwrapExpression(arg);
    const fn = scope.fn;
    const accessesFrom = fn.accesses.length;
    const callsFrom = fn.calls.length;
    walk.visit(arg, node, scope);
    if (!ref) return;
    const isLiteral = tsv.isArrowFunction(inner) || tsv.isFunctionExpression(inner);
    const named =
      !literal && argIndex === node.arguments.length - 1 && WRAPPER_NAME.test(name ?? '')
        ? functionRefOf(inner, scope.className)
        : undefined;
    if (!isLiteral && !named) return;
    if (isLiteral && fn.accesses.length === accessesFrom && fn.calls.length === callsFrom) return;
    const callback: CallbackFact = {
      line,
      text: callee.getText(walk.sf),
      callee: ref,
      argIndex,
      accesses: [accessesFrom, fn.accesses.length],
      calls: [callsFrom, fn.calls.length],
      ...(named ? { ref: named } : {}),
    };
    (fn.callbacks ??= []).push(callback);
  });
}
