import { type ts, tsv as sharedTsv, unwrapExpression } from './typescript';
import type { TransactionFact } from './facts';
import { calleeRefOf } from './collect-calls';
import { isKnexExpression } from './detect-table-access';
import type { FileWalk, Scope } from './function-scope';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

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
