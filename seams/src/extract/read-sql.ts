import { looksLikeSql, parseSqlTables, type SqlTable } from './parse-sql';

/** A full SQL parser: the tables of a whole statement, or undefined when it cannot parse it. */
export type SqlParser = (sql: string) => SqlTable[] | undefined;

/**
 * The tables a SQL text reads and writes: a whole statement goes to the parser
 * when one is loaded; fragments (`joinRaw('LEFT JOIN …')`), other dialects and
 * what the parser rejects are read by the regular-expression reader.
 */
export function readSqlTables(sql: string, parser: SqlParser | undefined): SqlTable[] {
  if (parser && looksLikeSql(sql)) {
    const tables = parser(sql);
    if (tables) return tables;
  }
  return parseSqlTables(sql);
}
