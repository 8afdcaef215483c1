import type { AccessMode } from './facts';
import type { SqlTable } from './parse-sql';
import type { SqlParser } from './read-sql';

interface RangeVar {
  relname?: string;
}

/** Statements whose `relation` is written. */
const WRITE_STATEMENTS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * knex bindings are not PostgreSQL: `?` and `:name` become `$n`, and `??` or
 * `:name:` (identifier bindings) become a name that is then not reported.
 */
function toPostgres(sql: string): string {
  let n = 0;
  return sql
    .replace(/\?\?|(?<!:):[A-Za-z_]\w*:(?!:)/g, '__seams_binding')
    .replace(/\?/g, () => `$${++n}`)
    .replace(/(?<![:\w]):[A-Za-z_]\w*/g, () => `$${++n}`);
}

/** The tables of a parse tree: every RangeVar, written when it is the target of a statement. */
function tablesOf(tree: unknown): SqlTable[] {
  const ctes = new Set<string>();
  const found = new Map<string, AccessMode>();
  const add = (relation: RangeVar | undefined, mode: AccessMode) => {
    const name = relation?.relname?.toLowerCase();
    if (!name || name.startsWith('__seams_binding')) return;
    if (found.get(name) !== 'write') found.set(name, mode);
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'CommonTableExpr') ctes.add(String(value.ctename).toLowerCase());
      else if (key === 'RangeVar') add(value as RangeVar, 'read');
      else if (WRITE_STATEMENTS.has(key)) add(value.relation, 'write');
      else if (key === 'TruncateStmt')
        for (const relation of value.relations ?? []) add(relation.RangeVar, 'write');
      walk(value);
    }
  };
  walk(tree);
  return [...found].filter(([table]) => !ctes.has(table)).map(([table, mode]) => ({ table, mode }));
}

/**
 * Loads PostgreSQL's own parser (libpg_query, compiled to WebAssembly). Whole
 * statements are read with it; what it cannot parse (fragments, other
 * dialects) falls back to the regular-expression reader. Undefined when it
 * cannot be loaded: the regular expressions are then used alone.
 */
export async function loadPostgresParser(): Promise<SqlParser | undefined> {
  try {
    const pg = require('libpg-query') as typeof import('libpg-query');
    await pg.loadModule();
    return (sql) => {
      try {
        return tablesOf(pg.parseSync(toPostgres(sql)));
      } catch {
        return undefined;
      }
    };
  } catch {
    return undefined;
  }
}

/** A string literal that starts like a SQL statement: only such files need the parser. */
const SQL_IN_LITERAL =
  /[`'"]\s*(?:select\s|insert\s+(?:or\s+\w+\s+)?into\s|update\s+\S+\s+set\s|delete\s+from\s|with\s+(?:recursive\s+)?\w+\s|merge\s+into\s|truncate\s)/i;

export function mayContainSql(text: string): boolean {
  return SQL_IN_LITERAL.test(text);
}
