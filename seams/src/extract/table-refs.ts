import { type ts, tsv as sharedTsv, stringValueOf, unwrapExpression } from './typescript';
import type { TableRef } from './facts';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

const PLACEHOLDER = '__seams_sub_';
/** What a table name looks like once its alias and schema are gone; anything else is not one. */
const TABLE_NAME = /^[A-Za-z_][\w$-]*$/;

/** 'albums as a' → 'albums'; 'public.albums' → 'albums'. */
export function stripAlias(name: string): string {
  const first = name.trim().split(/\s+as\s+|\s+/i)[0] ?? name;
  return (first.split('.').pop() ?? first).replace(/["`[\]]/g, '');
}

/** `a.b.c` → 'a.b.c' for plain identifier chains, else undefined. */
export function dottedName(expr: ts.Expression): string | undefined {
  if (tsv.isIdentifier(expr)) return expr.text;
  if (tsv.isPropertyAccessExpression(expr)) {
    const head = dottedName(unwrapExpression(expr.expression));
    return head ? `${head}.${expr.name.text}` : undefined;
  }
  return undefined;
}

/** A name set to another name (`USERS_TABLE = TABLE`, `ROLES = T.ROLES`): the dotted name. */
export function renamedFrom(expr: ts.Expression | undefined): string | undefined {
  return expr ? dottedName(unwrapExpression(expr)) : undefined;
}

/**
 * A template used as a table name: `${TABLE}`, `${TABLE} as t`, `${SCHEMA}.${T.ROLES} AS r`.
 * When what is left after the alias and schema is one substitution, that expression is the table.
 */
function templateRef(
  expr: ts.TemplateExpression,
  className: string | undefined,
  sf: ts.SourceFile,
): TableRef | undefined {
  let text = expr.head.text;
  expr.templateSpans.forEach((span, index) => {
    text += `${PLACEHOLDER}${index}${span.literal.text}`;
  });
  const name = stripAlias(text);
  const only = new RegExp(`^${PLACEHOLDER}(\\d+)$`).exec(name);
  if (only) return tableRefOf(expr.templateSpans[Number(only[1])].expression, className, sf);
  if (!name.includes(PLACEHOLDER) && TABLE_NAME.test(name)) return { kind: 'literal', value: name };
  return { kind: 'unknown', text: expr.getText(sf).slice(0, 80) };
}

/** Describes how a table-name argument was written, for resolution across files later. */
export function tableRefOf(
  arg: ts.Expression,
  className: string | undefined,
  sf: ts.SourceFile,
): TableRef | undefined {
  const expr = unwrapExpression(arg);
  const literal = stringValueOf(expr);
  if (literal !== undefined) {
    const name = stripAlias(literal);
    // `rows.join(', ')` on a builder variable's result, or a raw fragment: no table.
    return TABLE_NAME.test(name) ? { kind: 'literal', value: name } : undefined;
  }
  if (tsv.isIdentifier(expr)) return { kind: 'identifier', name: expr.text };
  if (tsv.isTemplateExpression(expr)) return templateRef(expr, className, sf);
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
