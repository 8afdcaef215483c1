// The TypeScript compiler API bundled with ts-morph. The extraction is a purely
// syntactic pass over the raw AST: no Program and no type checker, which is what
// keeps ~2,000 files in seconds (ts-morph's wrapped nodes and a checker would cost
// several times more and would not find anything more for these facts).
import type { ts } from 'ts-morph';
import { loadCompiler } from './load-compiler';

// Types come from ts-morph's declarations, values from the same bundled compiler (see load-compiler).
export type { ts };

/**
 * A plain copy of the namespace for the hot paths: the bundled namespace's
 * members are getters, and the visitors call tsv.isX millions of times on a
 * large tree (measured: ~5% of a full run).
 */
export const tsv: typeof ts = { ...loadCompiler() };

export function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return tsv.ScriptKind.TSX;
  if (/\.jsx$/.test(fileName)) return tsv.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return tsv.ScriptKind.JS;
  return tsv.ScriptKind.TS;
}

/** `Foo`, `Knex.Transaction`, `Promise<Foo>` → the named type text without type arguments. */
export function typeNameOf(type: ts.TypeNode | undefined): string | undefined {
  if (!type) return undefined;
  if (tsv.isTypeReferenceNode(type)) return entityNameText(type.typeName);
  return undefined;
}

function entityNameText(name: ts.EntityName): string {
  return tsv.isIdentifier(name) ? name.text : `${entityNameText(name.left)}.${name.right.text}`;
}

export function unwrapExpression(expr: ts.Expression): ts.Expression {
  let current = expr;
  while (
    tsv.isParenthesizedExpression(current) ||
    tsv.isAsExpression(current) ||
    tsv.isNonNullExpression(current) ||
    tsv.isAwaitExpression(current) ||
    tsv.isSatisfiesExpression(current) ||
    tsv.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** The text of a string literal or a template without substitutions, else undefined. */
export function stringValueOf(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const inner = unwrapExpression(expr);
  if (tsv.isStringLiteral(inner) || tsv.isNoSubstitutionTemplateLiteral(inner)) return inner.text;
  return undefined;
}
