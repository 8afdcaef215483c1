import { type ts, tsv as sharedTsv, lineOf, unwrapExpression } from './typescript';
import type { TableRef } from './facts';
import { type Chain, RAW_METHODS, readChainTables } from './knex-chain';
import { looksLikeSql, parseSqlTables } from './parse-sql';
import { type FileWalk, recordAccess, type Scope } from './function-scope';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

const SUBSTITUTION = '__seams_sub_';

function isKnexField(walk: FileWalk, className: string | undefined, field: string): boolean {
  return (
    walk.decl.knexNames.has(field) ||
    (className !== undefined && Boolean(walk.knexFields.get(className)?.has(field)))
  );
}

/** A knex instance or transaction: a handle name, or `this.<field>` holding one. */
export function isKnexExpression(walk: FileWalk, scope: Scope, expr: ts.Expression): boolean {
  const inner = unwrapExpression(expr);
  if (tsv.isIdentifier(inner)) return walk.decl.knexNames.has(inner.text);
  if (tsv.isPropertyAccessExpression(inner) && inner.expression.kind === tsv.SyntaxKind.ThisKeyword)
    return isKnexField(walk, scope.className, inner.name.text);
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
  for (const table of parseSqlTables(text)) {
    let ref: TableRef = { kind: 'literal', value: table.table };
    if (table.table.startsWith(SUBSTITUTION)) {
      const expr = substitutions[Number(table.table.slice(SUBSTITUTION.length))];
      ref =
        expr && tsv.isIdentifier(expr)
          ? { kind: 'identifier', name: expr.text }
          : { kind: 'unknown', text: expr ? expr.getText(walk.sf) : table.table };
    }
    recordAccess(scope, { ref, mode: table.mode, line, via });
  }
}

/** A string or template literal met outside a knex call: read as SQL when it is a whole statement. */
export function recordSqlLiteral(walk: FileWalk, scope: Scope, node: ts.Node): boolean {
  if (
    !(
      tsv.isStringLiteral(node) ||
      tsv.isNoSubstitutionTemplateLiteral(node) ||
      tsv.isTemplateExpression(node)
    ) ||
    walk.consumed.has(node)
  )
    return false;
  const head = tsv.isTemplateExpression(node) ? node.head.text : node.text;
  if (looksLikeSql(head)) recordSql(walk, scope, node, 'sql');
  return true;
}

/**
 * Reads a builder chain that starts at a knex handle (`db('t')…`, `this.db('t')…`,
 * `db.from('t')…`) and records its tables; false when the chain is not knex.
 */
export function readKnexChain(walk: FileWalk, scope: Scope, chain: Chain, line: number): boolean {
  const { root, rootArgs } = chain;
  let tableArgs: ts.NodeArray<ts.Expression> | undefined;
  let steps = chain.steps;
  if (tsv.isIdentifier(root) && walk.decl.knexNames.has(root.text)) tableArgs = rootArgs;
  else if (
    root.kind === tsv.SyntaxKind.ThisKeyword &&
    steps.length > 0 &&
    isKnexField(walk, scope.className, steps[0].name)
  ) {
    tableArgs = steps[0].args;
    steps = steps.slice(1);
  } else return false;
  if (rootArgs === undefined && tableArgs === undefined && steps.length === 0) return false;
  for (const step of steps) {
    if (RAW_METHODS.has(step.name) && step.args?.[0]) {
      const sql = unwrapExpression(step.args[0]);
      recordSql(walk, scope, sql, `.${step.name}`);
    }
  }
  for (const table of readChainTables(tableArgs, steps, scope.className, walk.sf)) {
    if (table.ref.kind === 'identifier' && walk.decl.subqueries.has(table.ref.name)) continue;
    recordAccess(scope, { ...table, line });
  }
  return true;
}
