import { type ts, tsv as sharedTsv, lineOf, typeNameOf, unwrapExpression } from './typescript';
import type { ClassFact, FunctionFact } from './facts';
import { collectClass, newExpressionClass } from './collect-class';
import type { Declarations } from './collect-declarations';
import { collectCall } from './collect-calls';
import { collectChain } from './knex-chain';
import {
  holdsKnex,
  isKnexExpression,
  readKnexChain,
  recordSqlLiteral,
} from './detect-table-access';
import { visitCallbackArguments, visitTransactionCall } from './detect-transactions';
import { createFunction, createScope, type FileWalk, type Scope } from './function-scope';
import type { SqlParser } from './read-sql';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

/**
 * Second pass: splits the file into named functions (top-level functions, class
 * methods, object-literal methods) and hands each node to the detectors: table
 * access (detect-table-access), calls (collect-calls) and transactions
 * (detect-transactions). Nested callbacks belong to the function they are written in.
 */
export function collectFunctions(
  sf: ts.SourceFile,
  decl: Declarations,
  sqlParser?: SqlParser,
): { functions: FunctionFact[]; classes: ClassFact[] } {
  const moduleFn = createFunction('<module>', 1);
  const moduleScope = createScope(moduleFn);
  const walk: FileWalk = {
    sf,
    decl,
    functions: [moduleFn],
    classes: [],
    knexFields: new Map(),
    consumed: new Set(),
    builderCallbacks: new Set(),
    chains: new Map(),
    sqlParser,
    moduleScope,
    visit,
  };

  const visitCall = (node: ts.CallExpression, parent: ts.Node | undefined, scope: Scope) => {
    const line = lineOf(sf, node);
    const isChainEnd = !(
      parent &&
      tsv.isPropertyAccessExpression(parent) &&
      parent.expression === node
    );
    const knexChain = isChainEnd && readKnexChain(walk, scope, node, collectChain(node), line);
    if (!knexChain && !isKnexExpression(walk, scope, node.expression))
      collectCall(scope, node, parent, line);
    if (visitTransactionCall(walk, scope, node, line)) return;
    visit(node.expression, node, scope);
    if (knexChain) for (const arg of node.arguments) visit(arg, node, scope);
    else visitCallbackArguments(walk, scope, node, line);
  };

  const enterFunction = (id: string, node: ts.SignatureDeclaration, className?: string) => {
    const fn = createFunction(id, lineOf(sf, node), className);
    walk.functions.push(fn);
    const params = node.parameters.map((p) => (tsv.isIdentifier(p.name) ? p.name.text : ''));
    const scope = createScope(fn, className, params);
    tsv.forEachChild(node, (child) => visit(child, node, scope));
    // Opens a knex transaction and runs its own parameter inside: a transaction wrapper.
    const called = params.findIndex((p) => p && scope.calledParams.has(p));
    if (fn.knexTransaction && called >= 0) fn.transactionCallbackParam = called;
  };

  const enterClass = (node: ts.ClassLikeDeclaration, scope: Scope) => {
    const className = node.name?.text ?? `class@${lineOf(sf, node)}`;
    const fact = collectClass(node, className, sf, decl.constants);
    walk.classes.push(fact);
    walk.knexFields.set(
      className,
      new Set(
        Object.entries(fact.fieldTypes)
          .filter(([, type]) => /\bKnex\b/.test(type))
          .map(([field]) => field),
      ),
    );
    for (const member of node.members) {
      const memberName =
        member.name &&
        (tsv.isIdentifier(member.name) ||
          tsv.isPrivateIdentifier(member.name) ||
          tsv.isStringLiteral(member.name))
          ? member.name.text
          : undefined;
      if (tsv.isConstructorDeclaration(member))
        enterFunction(`${className}.constructor`, member, className);
      else if (
        (tsv.isMethodDeclaration(member) ||
          tsv.isGetAccessor(member) ||
          tsv.isSetAccessor(member)) &&
        memberName
      )
        enterFunction(`${className}.${memberName}`, member, className);
      else if (tsv.isPropertyDeclaration(member) && memberName && member.initializer) {
        const init = unwrapExpression(member.initializer);
        if (tsv.isArrowFunction(init) || tsv.isFunctionExpression(init))
          enterFunction(`${className}.${memberName}`, init, className);
        else visit(member.initializer, member, { ...scope, className });
      } else tsv.forEachChild(member, (child) => visit(child, member, { ...scope, className }));
    }
  };

  const enterObjectMethods = (prefix: string, obj: ts.ObjectLiteralExpression, scope: Scope) => {
    for (const prop of obj.properties) {
      const name = prop.name && tsv.isIdentifier(prop.name) ? prop.name.text : undefined;
      const fnId = prefix ? `${prefix}.${name}` : name;
      if (tsv.isMethodDeclaration(prop) && fnId) enterFunction(fnId, prop, scope.className);
      else if (
        tsv.isPropertyAssignment(prop) &&
        fnId &&
        (tsv.isArrowFunction(prop.initializer) || tsv.isFunctionExpression(prop.initializer))
      ) {
        enterFunction(fnId, prop.initializer, scope.className);
      } else visit(prop, obj, scope);
    }
  };

  /** Module-level declarations that are functions (or objects of them) become functions of their own. */
  const enterModuleDeclaration = (node: ts.Node, scope: Scope): boolean => {
    if (tsv.isFunctionDeclaration(node) && node.name) {
      enterFunction(node.name.text, node, scope.className);
      return true;
    }
    if (tsv.isVariableDeclaration(node) && tsv.isIdentifier(node.name) && node.initializer) {
      const init = unwrapExpression(node.initializer);
      if (tsv.isArrowFunction(init) || tsv.isFunctionExpression(init)) {
        enterFunction(node.name.text, init, scope.className);
        return true;
      }
      if (tsv.isObjectLiteralExpression(init)) {
        enterObjectMethods(node.name.text, init, scope);
        return true;
      }
    }
    if (
      tsv.isBinaryExpression(node) &&
      node.operatorToken.kind === tsv.SyntaxKind.EqualsToken &&
      tsv.isPropertyAccessExpression(node.left)
    ) {
      const right = unwrapExpression(node.right);
      const target = node.left.getText(sf);
      if (target === 'module.exports' && tsv.isObjectLiteralExpression(right)) {
        enterObjectMethods('', right, scope);
        return true;
      }
      if (
        /^(module\.)?exports\.\w+$/.test(target) &&
        (tsv.isArrowFunction(right) || tsv.isFunctionExpression(right))
      ) {
        enterFunction(node.left.name.text, right, scope.className);
        return true;
      }
    }
    return false;
  };

  /**
   * Parameters and variables typed by annotation or `new X()`; names that hold knex
   * without saying so (`const db = trx ?? this.knex`, `(db = this.knex) =>`,
   * `this.store = knex`); fields set to `new X()`.
   */
  const recordBindings = (node: ts.Node, scope: Scope) => {
    if (tsv.isParameter(node) && tsv.isIdentifier(node.name)) {
      const type = typeNameOf(node.type);
      if (type) scope.fn.variableTypes[node.name.text] = type;
      if (node.initializer && holdsKnex(walk, scope, node.initializer))
        scope.handles.add(node.name.text);
    } else if (tsv.isVariableDeclaration(node) && tsv.isIdentifier(node.name)) {
      const type = typeNameOf(node.type) ?? newExpressionClass(node.initializer);
      if (type) scope.fn.variableTypes[node.name.text] = type;
      if (node.initializer && holdsKnex(walk, scope, node.initializer))
        scope.handles.add(node.name.text);
    } else if (
      tsv.isBinaryExpression(node) &&
      node.operatorToken.kind === tsv.SyntaxKind.EqualsToken &&
      tsv.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === tsv.SyntaxKind.ThisKeyword
    ) {
      const field = node.left.name.text;
      const created = newExpressionClass(node.right);
      const owner = walk.classes.find((c) => c.name === scope.className);
      if (created && owner) owner.fieldTypes[field] = created;
      if (scope.className && holdsKnex(walk, scope, node.right))
        walk.knexFields.get(scope.className)?.add(field);
    }
  };

  /** `let q = this.db(T)` or `q = q.leftJoin(U)`: the variable now holds that builder chain. */
  const recordBuilder = (name: string, value: ts.Expression, scope: Scope) => {
    let raw = value;
    while (tsv.isParenthesizedExpression(raw)) raw = raw.expression;
    // `const rows = await db('t')` holds rows, not a builder.
    if (tsv.isAwaitExpression(raw)) return;
    const chain = walk.chains.get(unwrapExpression(raw));
    if (chain) scope.builders.set(name, chain);
  };

  const visitChildren = (node: ts.Node, scope: Scope) => {
    tsv.forEachChild(node, (child) => visit(child, node, scope));
    if (tsv.isVariableDeclaration(node) && tsv.isIdentifier(node.name) && node.initializer)
      recordBuilder(node.name.text, node.initializer, scope);
    else if (
      tsv.isBinaryExpression(node) &&
      node.operatorToken.kind === tsv.SyntaxKind.EqualsToken &&
      tsv.isIdentifier(node.left)
    )
      recordBuilder(node.left.text, node.right, scope);
  };

  function visit(node: ts.Node, parent: ts.Node | undefined, scope: Scope): void {
    if (tsv.isClassDeclaration(node) || tsv.isClassExpression(node)) return enterClass(node, scope);
    if (scope.fn === moduleFn && enterModuleDeclaration(node, scope)) return;
    // `this` is the builder in a `function` callback of a builder method, and rebound in any other.
    if (tsv.isFunctionExpression(node)) {
      const thisIsBuilder = walk.builderCallbacks.has(node);
      if (thisIsBuilder !== Boolean(scope.thisIsBuilder))
        return visitChildren(node, { ...scope, thisIsBuilder });
    }
    recordBindings(node, scope);
    if (tsv.isCallExpression(node)) return visitCall(node, parent, scope);
    recordSqlLiteral(walk, scope, node);
    visitChildren(node, scope);
  }

  visit(sf, undefined, moduleScope);
  return { functions: walk.functions, classes: walk.classes };
}
