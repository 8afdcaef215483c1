import { type ts, tsv as sharedTsv, unwrapExpression } from './typescript';
import type { CalleeRef } from './facts';
import { newExpressionClass } from './collect-class';
import { recordCall, type Scope } from './function-scope';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

/** How a call names its callee, for resolution across files later (no type checker). */
export function calleeRefOf(
  call: ts.CallExpression,
  className: string | undefined,
): CalleeRef | undefined {
  const callee = unwrapExpression(call.expression);
  if (tsv.isIdentifier(callee)) return { kind: 'identifier', name: callee.text };
  if (!tsv.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  const object = unwrapExpression(callee.expression);
  if (object.kind === tsv.SyntaxKind.ThisKeyword)
    return { kind: 'this-method', className: className ?? '', name };
  if (
    tsv.isPropertyAccessExpression(object) &&
    object.expression.kind === tsv.SyntaxKind.ThisKeyword
  ) {
    return {
      kind: 'this-field-method',
      className: className ?? '',
      field: object.name.text,
      name,
    };
  }
  if (tsv.isIdentifier(object)) return { kind: 'variable-method', variable: object.text, name };
  const created = newExpressionClass(object);
  if (created) return { kind: 'new-method', className: created, name };
  return undefined;
}

/** Records a call the walk met; awaited (or returned) calls are the steps the caller waits for. */
export function collectCall(
  scope: Scope,
  node: ts.CallExpression,
  parent: ts.Node | undefined,
  line: number,
): void {
  const ref = calleeRefOf(node, scope.className);
  if (!ref) return;
  if (ref.kind === 'identifier' && scope.params.includes(ref.name))
    scope.calledParams.add(ref.name);
  const awaited = Boolean(
    parent && (tsv.isAwaitExpression(parent) || tsv.isReturnStatement(parent)),
  );
  recordCall(scope, { callee: ref, line, awaited });
}
