import { type ts, tsv as sharedTsv, lineOf, typeNameOf, unwrapExpression } from './typescript';
import type {
  AccessFact,
  CallFact,
  CalleeRef,
  ClassFact,
  FunctionFact,
  TableRef,
  TransactionFact,
} from './facts';
import { collectChain, RAW_METHODS, readChainTables, type Chain } from './knex-chain';
import { collectClass, newExpressionClass, type Declarations } from './collect-declarations';
import { looksLikeSql, parseSqlTables } from './parse-sql';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

interface Scope {
  fn: FunctionFact;
  className?: string;
  transactions: TransactionFact[];
}

const SUBSTITUTION = '__seams_sub_';

function createFunction(id: string, line: number, className?: string): FunctionFact {
  return { id, line, className, accesses: [], calls: [], variableTypes: {}, transactions: [] };
}

/**
 * Second pass: splits the file into named functions (top-level functions, class
 * methods, object-literal methods) and records, per function, the tables it reads
 * and writes, the calls it makes and the transactions it opens. Nested callbacks
 * belong to the function they are written in.
 */
export function collectFunctions(
  sf: ts.SourceFile,
  decl: Declarations,
): { functions: FunctionFact[]; classes: ClassFact[] } {
  const functions: FunctionFact[] = [];
  const classes: ClassFact[] = [];
  const knexFields = new Map<string, Set<string>>();
  const consumed = new Set<ts.Node>();
  const moduleFn = createFunction('<module>', 1);
  functions.push(moduleFn);

  const record = (scope: Scope, access: AccessFact) => {
    scope.fn.accesses.push(access);
    for (const tx of scope.transactions) tx.accesses.push(access);
  };
  const recordCall = (scope: Scope, call: CallFact) => {
    scope.fn.calls.push(call);
    for (const tx of scope.transactions) tx.calls.push(call);
  };

  const isKnexExpression = (expr: ts.Expression, className: string | undefined): boolean => {
    const inner = unwrapExpression(expr);
    if (tsv.isIdentifier(inner)) return decl.knexNames.has(inner.text);
    if (
      tsv.isPropertyAccessExpression(inner) &&
      inner.expression.kind === tsv.SyntaxKind.ThisKeyword
    ) {
      return (
        decl.knexNames.has(inner.name.text) ||
        (className !== undefined && Boolean(knexFields.get(className)?.has(inner.name.text)))
      );
    }
    return false;
  };

  const recordSql = (scope: Scope, node: ts.Node, via: string) => {
    let text: string;
    const substitutions: ts.Expression[] = [];
    if (tsv.isStringLiteral(node) || tsv.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (tsv.isTemplateExpression(node)) {
      text = node.head.text;
      node.templateSpans.forEach((span, index) => {
        substitutions.push(span.expression);
        text += `${SUBSTITUTION}${index} ${span.literal.text}`;
      });
    } else return;
    consumed.add(node);
    const line = lineOf(sf, node);
    for (const table of parseSqlTables(text)) {
      let ref: TableRef = { kind: 'literal', value: table.table };
      if (table.table.startsWith(SUBSTITUTION)) {
        const expr = substitutions[Number(table.table.slice(SUBSTITUTION.length))];
        ref =
          expr && tsv.isIdentifier(expr)
            ? { kind: 'identifier', name: expr.text }
            : { kind: 'unknown', text: expr ? expr.getText(sf) : table.table };
      }
      record(scope, { ref, mode: table.mode, line, via });
    }
  };

  const readKnexChain = (scope: Scope, chain: Chain, line: number) => {
    const { root, rootArgs } = chain;
    let tableArgs: ts.NodeArray<ts.Expression> | undefined;
    let steps = chain.steps;
    if (tsv.isIdentifier(root) && decl.knexNames.has(root.text)) tableArgs = rootArgs;
    else if (
      root.kind === tsv.SyntaxKind.ThisKeyword &&
      steps.length > 0 &&
      isKnexField(scope.className, steps[0].name)
    ) {
      tableArgs = steps[0].args;
      steps = steps.slice(1);
    } else return false;
    if (rootArgs === undefined && tableArgs === undefined && steps.length === 0) return false;
    for (const step of steps) {
      if (RAW_METHODS.has(step.name) && step.args?.[0]) {
        const sql = unwrapExpression(step.args[0]);
        recordSql(scope, sql, `.${step.name}`);
      }
    }
    for (const table of readChainTables(tableArgs, steps, scope.className, sf)) {
      if (table.ref.kind === 'identifier' && decl.subqueries.has(table.ref.name)) continue;
      record(scope, { ...table, line });
    }
    return true;
  };

  const isKnexField = (className: string | undefined, field: string) =>
    decl.knexNames.has(field) ||
    (className !== undefined && Boolean(knexFields.get(className)?.has(field)));

  const calleeRefOf = (
    call: ts.CallExpression,
    className: string | undefined,
  ): CalleeRef | undefined => {
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
  };

  const visitCall = (node: ts.CallExpression, parent: ts.Node | undefined, scope: Scope) => {
    const callee = unwrapExpression(node.expression);
    const line = lineOf(sf, node);
    const isChainEnd = !(
      parent &&
      tsv.isPropertyAccessExpression(parent) &&
      parent.expression === node
    );
    let knexChain = false;
    if (isChainEnd) knexChain = readKnexChain(scope, collectChain(node), line);
    if (!knexChain && !isKnexExpression(callee, scope.className)) {
      const ref = calleeRefOf(node, scope.className);
      const awaited = Boolean(
        parent && (tsv.isAwaitExpression(parent) || tsv.isReturnStatement(parent)),
      );
      if (ref) recordCall(scope, { callee: ref, line, awaited });
    }
    const isTransaction =
      tsv.isPropertyAccessExpression(callee) && callee.name.text === 'transaction';
    const knexReceiver = isTransaction && isKnexExpression(callee.expression, scope.className);
    if (knexReceiver) scope.fn.knexTransaction = callee.getText(sf);
    const work = node.arguments[0] && unwrapExpression(node.arguments[0]);
    if (isTransaction && work && (tsv.isArrowFunction(work) || tsv.isFunctionExpression(work))) {
      const tx: TransactionFact = {
        line,
        text: callee.getText(sf),
        knexReceiver,
        callee: knexReceiver ? undefined : calleeRefOf(node, scope.className),
        accesses: [],
        calls: [],
      };
      scope.fn.transactions.push(tx);
      visit(node.expression, node, scope);
      const inner: Scope = { ...scope, transactions: [...scope.transactions, tx] };
      for (const arg of node.arguments) visit(arg, node, arg === node.arguments[0] ? inner : scope);
      return;
    }
    tsv.forEachChild(node, (child) => visit(child, node, scope));
  };

  const enterFunction = (id: string, node: ts.Node, className: string | undefined) => {
    const fn = createFunction(id, lineOf(sf, node), className);
    functions.push(fn);
    const scope: Scope = { fn, className, transactions: [] };
    tsv.forEachChild(node, (child) => visit(child, node, scope));
  };

  const enterClass = (node: ts.ClassLikeDeclaration, scope: Scope) => {
    const className = node.name?.text ?? `class@${lineOf(sf, node)}`;
    const fact = collectClass(node, className, sf, decl.constants);
    classes.push(fact);
    knexFields.set(
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

  const atModuleLevel = (scope: Scope) => scope.fn === moduleFn;

  function visit(node: ts.Node, parent: ts.Node | undefined, scope: Scope): void {
    if (tsv.isClassDeclaration(node) || tsv.isClassExpression(node)) return enterClass(node, scope);
    if (atModuleLevel(scope)) {
      if (tsv.isFunctionDeclaration(node) && node.name)
        return enterFunction(node.name.text, node, scope.className);
      if (tsv.isVariableDeclaration(node) && tsv.isIdentifier(node.name) && node.initializer) {
        const init = unwrapExpression(node.initializer);
        if (tsv.isArrowFunction(init) || tsv.isFunctionExpression(init))
          return enterFunction(node.name.text, init, scope.className);
        if (tsv.isObjectLiteralExpression(init))
          return enterObjectMethods(node.name.text, init, scope);
      }
      if (
        tsv.isBinaryExpression(node) &&
        node.operatorToken.kind === tsv.SyntaxKind.EqualsToken &&
        tsv.isPropertyAccessExpression(node.left)
      ) {
        const right = unwrapExpression(node.right);
        const target = node.left.getText(sf);
        if (target === 'module.exports' && tsv.isObjectLiteralExpression(right))
          return enterObjectMethods('', right, scope);
        if (
          /^(module\.)?exports\.\w+$/.test(target) &&
          (tsv.isArrowFunction(right) || tsv.isFunctionExpression(right))
        ) {
          return enterFunction(node.left.name.text, right, scope.className);
        }
      }
    }
    if (tsv.isParameter(node) && tsv.isIdentifier(node.name)) {
      const type = typeNameOf(node.type);
      if (type) scope.fn.variableTypes[node.name.text] = type;
    } else if (tsv.isVariableDeclaration(node) && tsv.isIdentifier(node.name)) {
      const type = typeNameOf(node.type) ?? newExpressionClass(node.initializer);
      if (type) scope.fn.variableTypes[node.name.text] = type;
    } else if (
      tsv.isBinaryExpression(node) &&
      tsv.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === tsv.SyntaxKind.ThisKeyword
    ) {
      const created = newExpressionClass(node.right);
      const owner = classes.find((c) => c.name === scope.className);
      if (created && owner) owner.fieldTypes[node.left.name.text] = created;
    }
    if (tsv.isCallExpression(node)) return visitCall(node, parent, scope);
    if (
      (tsv.isStringLiteral(node) ||
        tsv.isNoSubstitutionTemplateLiteral(node) ||
        tsv.isTemplateExpression(node)) &&
      !consumed.has(node)
    ) {
      const head = tsv.isTemplateExpression(node) ? node.head.text : node.text;
      if (looksLikeSql(head)) recordSql(scope, node, 'sql');
    }
    tsv.forEachChild(node, (child) => visit(child, node, scope));
  }

  visit(sf, undefined, { fn: moduleFn, transactions: [] });
  return { functions, classes };
}
