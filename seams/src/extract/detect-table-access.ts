import { type ts, tsv as sharedTsv, lineOf, unwrapExpression } from './typescript';
import type { AccessFact, TableRef } from './facts';
import {
  type Chain,
  CTE_METHODS,
  RAW_METHODS,
  RESULT_METHODS,
  readChainTables,
  TABLE_METHODS,
  WRITE_METHODS,
} from './knex-chain';
import { looksLikeSql } from './parse-sql';
import { readSqlTables } from './read-sql';
import { refKey } from './table-ref-key';
import { tableRefOf } from './table-refs';
import { type BuilderChain, type FileWalk, recordAccess, type Scope } from './function-scope';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

const SUBSTITUTION = '__seams_sub_';

function isKnexField(walk: FileWalk, className: string | undefined, field: string): boolean {
  return (
    walk.decl.knexNames.has(field) ||
    (className !== undefined && Boolean(walk.knexFields.get(className)?.has(field)))
  );
}

function isHandleName(walk: FileWalk, scope: Scope, name: string): boolean {
  return (
    walk.decl.knexNames.has(name) ||
    scope.handles.has(name) ||
    Boolean(walk.moduleScope?.handles.has(name))
  );
}

/** A knex instance, transaction or builder handle: a handle name, or `this.<field>` holding one. */
export function isKnexExpression(walk: FileWalk, scope: Scope, expr: ts.Expression): boolean {
  const inner = unwrapExpression(expr);
  if (tsv.isIdentifier(inner)) return isHandleName(walk, scope, inner.text);
  if (tsv.isPropertyAccessExpression(inner) && inner.expression.kind === tsv.SyntaxKind.ThisKeyword)
    return isKnexField(walk, scope.className, inner.name.text);
  return false;
}

const isFunctionLiteral = (node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression =>
  tsv.isArrowFunction(node) || tsv.isFunctionExpression(node);

/**
 * An expression whose value is a knex handle, so a variable set to it is one too:
 * `trx ?? this.knex`, `options.trx || db`, `cond ? trx : db`, `await this.knex.transaction()`.
 */
export function holdsKnex(walk: FileWalk, scope: Scope, expr: ts.Expression): boolean {
  const inner = unwrapExpression(expr);
  if (isKnexExpression(walk, scope, inner)) return true;
  if (
    tsv.isBinaryExpression(inner) &&
    (inner.operatorToken.kind === tsv.SyntaxKind.QuestionQuestionToken ||
      inner.operatorToken.kind === tsv.SyntaxKind.BarBarToken)
  )
    return holdsKnex(walk, scope, inner.left) || holdsKnex(walk, scope, inner.right);
  if (tsv.isConditionalExpression(inner))
    return holdsKnex(walk, scope, inner.whenTrue) || holdsKnex(walk, scope, inner.whenFalse);
  if (tsv.isCallExpression(inner) && tsv.isPropertyAccessExpression(inner.expression)) {
    const { name, expression } = inner.expression;
    return (
      name.text === 'transaction' &&
      !inner.arguments.some((arg) => isFunctionLiteral(unwrapExpression(arg))) &&
      isKnexExpression(walk, scope, expression)
    );
  }
  return false;
}

/** Records the tables a SQL string or template reads and writes; `${NAME}` parts stay references. */
export function recordSql(walk: FileWalk, scope: Scope, node: ts.Node, via: string): void {
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
  walk.consumed.add(node);
  const line = lineOf(walk.sf, node);
  // `.fromRaw('orders o')` holds only the FROM list.
  const sql = via === '.fromRaw' ? `select * from ${text}` : text;
  for (const table of readSqlTables(sql, walk.sqlParser)) {
    let ref: TableRef | undefined = { kind: 'literal', value: table.table };
    if (table.table.startsWith(SUBSTITUTION)) {
      const expr = substitutions[Number(table.table.slice(SUBSTITUTION.length))];
      ref = expr
        ? (tableRefOf(expr, scope.className, walk.sf) ?? {
            kind: 'unknown',
            text: expr.getText(walk.sf).slice(0, 80),
          })
        : undefined;
    }
    if (ref) recordAccess(scope, { ref, mode: table.mode, line, via });
  }
}

/** A string or template literal met outside a knex call: read as SQL when it is a whole statement. */
export function recordSqlLiteral(walk: FileWalk, scope: Scope, node: ts.Node): void {
  if (
    !(
      tsv.isStringLiteral(node) ||
      tsv.isNoSubstitutionTemplateLiteral(node) ||
      tsv.isTemplateExpression(node)
    ) ||
    walk.consumed.has(node)
  )
    return;
  const head = tsv.isTemplateExpression(node) ? node.head.text : node.text;
  if (looksLikeSql(head)) recordSql(walk, scope, node, 'sql');
}

/** A callback given to a builder method gets the builder: as its first parameter, and as `this`. */
function markBuilderCallback(walk: FileWalk, scope: Scope, arg: ts.Expression): void {
  const fn = unwrapExpression(arg);
  if (!isFunctionLiteral(fn)) return;
  const first = fn.parameters[0];
  if (first && tsv.isIdentifier(first.name)) scope.handles.add(first.name.text);
  if (tsv.isFunctionExpression(fn)) walk.builderCallbacks.add(fn);
}

/** Where a chain starts: knex itself (`db('t')`, `this.db('t')`), a builder variable, or `this` in a builder callback. */
function chainStart(
  walk: FileWalk,
  scope: Scope,
  chain: Chain,
):
  | { tableArgs?: ts.NodeArray<ts.Expression>; steps: Chain['steps']; from?: BuilderChain }
  | undefined {
  const { root, rootArgs, steps } = chain;
  if (tsv.isIdentifier(root)) {
    const from = scope.builders.get(root.text);
    if (from) return steps.length > 0 ? { steps, from } : undefined;
    if (!isHandleName(walk, scope, root.text)) return undefined;
    return rootArgs === undefined && steps.length === 0
      ? undefined
      : { tableArgs: rootArgs, steps };
  }
  if (root.kind !== tsv.SyntaxKind.ThisKeyword || steps.length === 0) return undefined;
  if (isKnexField(walk, scope.className, steps[0].name))
    return { tableArgs: steps[0].args, steps: steps.slice(1) };
  return scope.thisIsBuilder ? { steps } : undefined;
}

/**
 * Reads a builder chain and records its tables; undefined when the chain is not
 * knex. Callbacks of its methods (`.with('r', qb => qb.from(T))`, `.whereIn('id',
 * sub => sub.from(T))`) are builders too, and a chain that extends a builder
 * variable (`q = q.leftJoin(U)`, `q.update()`) writes that variable's tables when it writes.
 */
export function readKnexChain(
  walk: FileWalk,
  scope: Scope,
  node: ts.CallExpression,
  chain: Chain,
  line: number,
): BuilderChain | undefined {
  const start = chainStart(walk, scope, chain);
  if (!start) return undefined;
  const { tableArgs, steps, from } = start;
  for (const step of steps) {
    const first = step.args?.[0];
    if (RAW_METHODS.has(step.name) && first)
      recordSql(walk, scope, unwrapExpression(first), `.${step.name}`);
    if (CTE_METHODS.has(step.name) && first) {
      const key = (() => {
        const ref = tableRefOf(first, scope.className, walk.sf);
        return ref && refKey(ref);
      })();
      if (key) (scope.fn.cteNames ??= []).push(key);
    }
    if (!RESULT_METHODS.has(step.name))
      for (const arg of step.args ?? []) markBuilderCallback(walk, scope, arg);
  }
  const accesses: AccessFact[] = [];
  for (const table of readChainTables(tableArgs, steps, scope.className, walk.sf)) {
    if (table.ref.kind === 'identifier' && walk.decl.subqueries.has(table.ref.name)) continue;
    const access = { ...table, line };
    recordAccess(scope, access);
    accesses.push(access);
  }
  if (from && steps.some((step) => WRITE_METHODS.has(step.name)))
    for (const access of from.base) access.mode = 'write';
  const base = [
    ...(from?.base ?? []),
    ...accesses.filter((a) => a.via === 'knex()' || TABLE_METHODS.has(a.via.slice(1))),
  ];
  const result = { accesses, base };
  walk.chains.set(node, result);
  return result;
}
