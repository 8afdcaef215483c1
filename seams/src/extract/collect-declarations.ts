import {
  type ts,
  tsv as sharedTsv,
  lineOf,
  stringValueOf,
  typeNameOf,
  unwrapExpression,
} from './typescript';
import type { FileFacts, ImportFact } from './facts';
import { renamedFrom } from './table-refs';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

const DEFAULT_KNEX_NAMES = ['knex', 'db', 'trx', 'tx', 'database', 'connection', 'conn'];

/** What the first pass learns about a file: imports, exports, constants, knex handles. */
export interface Declarations {
  imports: ImportFact[];
  bindings: FileFacts['bindings'];
  exports: FileFacts['exports'];
  constants: FileFacts['constants'];
  aliases: Record<string, string>;
  /** Identifiers that hold a knex instance or transaction. */
  knexNames: Set<string>;
  /** Variables holding an aliased sub-query (`const sales = db('x')….as('sales')`): not table names. */
  subqueries: Set<string>;
}

export function isKnexType(typeText: string | undefined): boolean {
  return typeText !== undefined && /\bKnex\b/.test(typeText);
}

function isKnexFactoryCall(expr: ts.Expression | undefined): boolean {
  if (!expr) return false;
  const inner = unwrapExpression(expr);
  return (
    tsv.isCallExpression(inner) &&
    tsv.isIdentifier(inner.expression) &&
    /^(knex|Knex)$/.test(inner.expression.text)
  );
}

function isRequireCall(node: ts.Node): node is ts.CallExpression {
  return (
    tsv.isCallExpression(node) &&
    tsv.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length === 1 &&
    stringValueOf(node.arguments[0]) !== undefined
  );
}

function hasExportModifier(node: ts.Node): boolean {
  return (
    tsv.canHaveModifiers(node) &&
    (tsv.getModifiers(node) ?? []).some((m) => m.kind === tsv.SyntaxKind.ExportKeyword)
  );
}

function hasDefaultModifier(node: ts.Node): boolean {
  return (
    tsv.canHaveModifiers(node) &&
    (tsv.getModifiers(node) ?? []).some((m) => m.kind === tsv.SyntaxKind.DefaultKeyword)
  );
}

function addObjectConstants(
  prefix: string,
  obj: ts.ObjectLiteralExpression,
  out: Declarations,
): void {
  for (const prop of obj.properties) {
    if (tsv.isShorthandPropertyAssignment(prop)) {
      out.aliases[`${prefix}.${prop.name.text}`] = prop.name.text;
      continue;
    }
    if (
      !tsv.isPropertyAssignment(prop) ||
      !(tsv.isIdentifier(prop.name) || tsv.isStringLiteral(prop.name))
    )
      continue;
    const key = `${prefix}.${prop.name.text}`;
    const value = stringValueOf(prop.initializer);
    if (value !== undefined) out.constants[key] = value;
    else {
      const renamed = renamedFrom(prop.initializer);
      if (renamed) out.aliases[key] = renamed;
    }
  }
}

function recordImportDeclaration(
  node: ts.ImportDeclaration,
  sf: ts.SourceFile,
  out: Declarations,
): void {
  const specifier = stringValueOf(node.moduleSpecifier as ts.Expression);
  if (specifier === undefined) return;
  const clause = node.importClause;
  const names: string[] = [];
  let allTypes = Boolean(clause?.isTypeOnly);
  if (clause?.name) {
    names.push('default');
    out.bindings[clause.name.text] = { specifier, imported: 'default' };
    allTypes = Boolean(clause.isTypeOnly);
  }
  const named = clause?.namedBindings;
  if (named && tsv.isNamespaceImport(named)) {
    names.push('*');
    out.bindings[named.name.text] = { specifier, imported: '*' };
  } else if (named) {
    let everyType = named.elements.length > 0;
    for (const element of named.elements) {
      const imported = (element.propertyName ?? element.name).text;
      names.push(imported);
      out.bindings[element.name.text] = { specifier, imported };
      if (!element.isTypeOnly) everyType = false;
    }
    if (!clause?.isTypeOnly && !clause?.name) allTypes = everyType;
  }
  out.imports.push({
    specifier,
    line: lineOf(sf, node),
    kind: 'static',
    typeOnly: allTypes,
    names,
  });
}

function recordExportDeclaration(
  node: ts.ExportDeclaration,
  sf: ts.SourceFile,
  out: Declarations,
): void {
  const specifier = node.moduleSpecifier
    ? stringValueOf(node.moduleSpecifier as ts.Expression)
    : undefined;
  const clause = node.exportClause;
  if (specifier === undefined) {
    if (clause && tsv.isNamedExports(clause)) {
      for (const element of clause.elements)
        out.exports[element.name.text] = (element.propertyName ?? element.name).text;
    }
    return;
  }
  const reexports: Record<string, string> = {};
  if (!clause) reexports['*'] = '*';
  else if (tsv.isNamespaceExport(clause)) reexports[clause.name.text] = '*';
  else
    for (const element of clause.elements)
      reexports[element.name.text] = (element.propertyName ?? element.name).text;
  const typeOnly =
    node.isTypeOnly ||
    (clause !== undefined &&
      tsv.isNamedExports(clause) &&
      clause.elements.length > 0 &&
      clause.elements.every((e) => e.isTypeOnly));
  out.imports.push({
    specifier,
    line: lineOf(sf, node),
    kind: 'reexport',
    typeOnly,
    names: Object.values(reexports),
    reexports,
  });
}

function recordRequire(
  node: ts.CallExpression,
  parent: ts.Node | undefined,
  sf: ts.SourceFile,
  out: Declarations,
): void {
  const specifier = stringValueOf(node.arguments[0]) as string;
  let names = ['*'];
  if (parent && tsv.isVariableDeclaration(parent)) {
    if (tsv.isObjectBindingPattern(parent.name)) {
      names = [];
      for (const element of parent.name.elements) {
        const imported =
          element.propertyName && tsv.isIdentifier(element.propertyName)
            ? element.propertyName.text
            : tsv.isIdentifier(element.name)
              ? element.name.text
              : undefined;
        if (!imported || !tsv.isIdentifier(element.name)) continue;
        names.push(imported);
        out.bindings[element.name.text] = { specifier, imported };
      }
    } else if (tsv.isIdentifier(parent.name)) {
      out.bindings[parent.name.text] = { specifier, imported: '*' };
    }
  }
  out.imports.push({ specifier, line: lineOf(sf, node), kind: 'require', typeOnly: false, names });
}

function recordVariable(node: ts.VariableDeclaration, out: Declarations, exported: boolean): void {
  if (!tsv.isIdentifier(node.name)) return;
  const name = node.name.text;
  if (exported) out.exports[name] = name;
  if (isKnexType(typeNameOf(node.type)) || isKnexFactoryCall(node.initializer))
    out.knexNames.add(name);
  const value = stringValueOf(node.initializer);
  if (value !== undefined && !(name in out.constants)) out.constants[name] = value;
  const renamed = value === undefined ? renamedFrom(node.initializer) : undefined;
  if (renamed && renamed !== name && !(name in out.aliases)) out.aliases[name] = renamed;
  const init = node.initializer && unwrapExpression(node.initializer);
  if (init && tsv.isObjectLiteralExpression(init)) addObjectConstants(name, init, out);
  if (
    init &&
    tsv.isCallExpression(init) &&
    tsv.isPropertyAccessExpression(init.expression) &&
    init.expression.name.text === 'as'
  )
    out.subqueries.add(name);
}

function recordCommonJsExport(
  node: ts.BinaryExpression,
  sf: ts.SourceFile,
  out: Declarations,
): void {
  const left = node.left;
  if (!tsv.isPropertyAccessExpression(left)) return;
  const target = left.expression.getText(sf);
  if (target === 'module' && left.name.text === 'exports') {
    const right = unwrapExpression(node.right);
    if (tsv.isObjectLiteralExpression(right)) {
      for (const prop of right.properties) {
        if (tsv.isShorthandPropertyAssignment(prop)) out.exports[prop.name.text] = prop.name.text;
        else if (tsv.isPropertyAssignment(prop) && tsv.isIdentifier(prop.name)) {
          out.exports[prop.name.text] = tsv.isIdentifier(prop.initializer)
            ? prop.initializer.text
            : prop.name.text;
        } else if (tsv.isMethodDeclaration(prop) && tsv.isIdentifier(prop.name))
          out.exports[prop.name.text] = prop.name.text;
      }
    } else if (tsv.isIdentifier(right)) out.exports.default = right.text;
  } else if (target === 'exports' || target === 'module.exports') {
    out.exports[left.name.text] = tsv.isIdentifier(node.right) ? node.right.text : left.name.text;
  }
}

/** First pass: everything that later passes and other files look up by name. */
export function collectDeclarations(sf: ts.SourceFile): Declarations {
  const out: Declarations = {
    imports: [],
    bindings: {},
    exports: {},
    constants: {},
    aliases: {},
    knexNames: new Set(DEFAULT_KNEX_NAMES),
    subqueries: new Set(),
  };
  const visit = (node: ts.Node, parent: ts.Node | undefined): void => {
    if (tsv.isImportDeclaration(node)) recordImportDeclaration(node, sf, out);
    else if (tsv.isExportDeclaration(node)) recordExportDeclaration(node, sf, out);
    else if (
      tsv.isImportEqualsDeclaration(node) &&
      tsv.isExternalModuleReference(node.moduleReference)
    ) {
      const specifier = stringValueOf(node.moduleReference.expression);
      if (specifier !== undefined) {
        out.bindings[node.name.text] = { specifier, imported: '*' };
        out.imports.push({
          specifier,
          line: lineOf(sf, node),
          kind: 'require',
          typeOnly: node.isTypeOnly,
          names: ['*'],
        });
      }
    } else if (isRequireCall(node)) recordRequire(node, parent, sf, out);
    else if (tsv.isCallExpression(node) && node.expression.kind === tsv.SyntaxKind.ImportKeyword) {
      const specifier = stringValueOf(node.arguments[0]);
      if (specifier !== undefined)
        out.imports.push({
          specifier,
          line: lineOf(sf, node),
          kind: 'dynamic',
          typeOnly: false,
          names: ['*'],
        });
    } else if (tsv.isVariableStatement(node)) {
      const exported = hasExportModifier(node) && parent === sf;
      for (const declaration of node.declarationList.declarations)
        recordVariable(declaration, out, exported);
    } else if (
      tsv.isParameter(node) &&
      tsv.isIdentifier(node.name) &&
      isKnexType(typeNameOf(node.type))
    ) {
      out.knexNames.add(node.name.text);
    } else if (
      (tsv.isFunctionDeclaration(node) ||
        tsv.isClassDeclaration(node) ||
        tsv.isEnumDeclaration(node)) &&
      node.name &&
      hasExportModifier(node)
    ) {
      out.exports[hasDefaultModifier(node) ? 'default' : node.name.text] = node.name.text;
    } else if (tsv.isExportAssignment(node)) {
      out.exports.default = tsv.isIdentifier(node.expression) ? node.expression.text : 'default';
    } else if (
      tsv.isBinaryExpression(node) &&
      node.operatorToken.kind === tsv.SyntaxKind.EqualsToken
    ) {
      recordCommonJsExport(node, sf, out);
    }
    if (tsv.isEnumDeclaration(node)) {
      for (const member of node.members) {
        const value = stringValueOf(member.initializer);
        if (
          value !== undefined &&
          (tsv.isIdentifier(member.name) || tsv.isStringLiteral(member.name))
        )
          out.constants[`${node.name.text}.${member.name.text}`] = value;
      }
    }
    tsv.forEachChild(node, (child) => visit(child, node));
  };
  visit(sf, undefined);
  return out;
}
