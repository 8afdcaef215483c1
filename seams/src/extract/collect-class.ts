import {
  type ts,
  tsv as sharedTsv,
  lineOf,
  stringValueOf,
  typeNameOf,
  unwrapExpression,
} from './typescript';
import type { ClassFact } from './facts';
import { dottedName, renamedFrom, tableRefOf } from './table-refs';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

/** The string (or the name) a getter returns: `get table() { return 'events'; }`. */
function getterValue(member: ts.GetAccessorDeclaration): ts.Expression | undefined {
  const statements = member.body?.statements;
  const only = statements?.length === 1 ? statements[0] : undefined;
  return only && tsv.isReturnStatement(only) ? only.expression : undefined;
}

/** Constructor facts: parameters, fields set from them, and how `super(…)` is called. */
function collectConstructor(
  member: ts.ConstructorDeclaration,
  fact: ClassFact,
  sf: ts.SourceFile,
): void {
  const params = member.parameters.map((p) => (tsv.isIdentifier(p.name) ? p.name.text : ''));
  fact.ctorParams = params;
  const fields: Record<string, number> = {};
  member.parameters.forEach((param, index) => {
    const isProperty = tsv.canHaveModifiers(param) && (tsv.getModifiers(param) ?? []).length > 0;
    const type = typeNameOf(param.type);
    if (isProperty && tsv.isIdentifier(param.name)) {
      fields[param.name.text] = index;
      if (type) fact.fieldTypes[param.name.text] = type;
    }
  });
  for (const statement of member.body?.statements ?? []) {
    if (!tsv.isExpressionStatement(statement)) continue;
    const expr = statement.expression;
    if (tsv.isCallExpression(expr) && expr.expression.kind === tsv.SyntaxKind.SuperKeyword) {
      fact.superArgs = expr.arguments.map((arg) => tableRefOf(arg, fact.name, sf) ?? null);
    } else if (
      tsv.isBinaryExpression(expr) &&
      expr.operatorToken.kind === tsv.SyntaxKind.EqualsToken &&
      tsv.isPropertyAccessExpression(expr.left) &&
      expr.left.expression.kind === tsv.SyntaxKind.ThisKeyword &&
      tsv.isIdentifier(expr.right) &&
      params.includes(expr.right.text)
    ) {
      fields[expr.left.name.text] = params.indexOf(expr.right.text);
    }
  }
  if (Object.keys(fields).length > 0) fact.ctorParamFields = fields;
}

/** A field's value as written: a string, or a name to resolve later. */
function recordFieldValue(
  fact: ClassFact,
  field: string,
  initializer: ts.Expression | undefined,
  constants: Record<string, string>,
): void {
  const value = stringValueOf(initializer);
  if (value !== undefined) {
    fact.stringFields[field] = value;
    constants[`${fact.name}.${field}`] = value;
    return;
  }
  const renamed = renamedFrom(initializer);
  if (renamed) fact.fieldIdentifiers[field] = renamed;
}

/** Fields of a class, read before its methods so `this.db` is known as knex everywhere. */
export function collectClass(
  node: ts.ClassLikeDeclaration,
  name: string,
  sf: ts.SourceFile,
  constants: Record<string, string>,
): ClassFact {
  const fact: ClassFact = {
    name,
    line: lineOf(sf, node),
    fieldTypes: {},
    stringFields: {},
    fieldIdentifiers: {},
  };
  const base = node.heritageClauses?.find(
    (clause) => clause.token === tsv.SyntaxKind.ExtendsKeyword,
  )?.types[0]?.expression;
  const baseName = base && dottedName(base);
  if (baseName) fact.extends = baseName;
  for (const member of node.members) {
    if (tsv.isConstructorDeclaration(member)) collectConstructor(member, fact, sf);
    else if (
      tsv.isPropertyDeclaration(member) &&
      (tsv.isIdentifier(member.name) || tsv.isPrivateIdentifier(member.name))
    ) {
      const field = member.name.text.replace(/^#/, '');
      const type = typeNameOf(member.type) ?? newExpressionClass(member.initializer);
      if (type) fact.fieldTypes[field] = type;
      recordFieldValue(fact, field, member.initializer, constants);
    } else if (tsv.isGetAccessor(member) && tsv.isIdentifier(member.name)) {
      recordFieldValue(fact, member.name.text, getterValue(member), constants);
    }
  }
  return fact;
}

export function newExpressionClass(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const inner = unwrapExpression(expr);
  if (tsv.isNewExpression(inner) && tsv.isIdentifier(inner.expression))
    return inner.expression.text;
  return undefined;
}
