import type { CodeModel, ConfidenceItem, TableAccess } from '../model';
import type { DatabaseSchema } from '../schema/schema-model';

/**
 * With a live schema, only its tables and views are tables: every other name the
 * code seemed to use (a name built at run time, a CTE or set-returning function
 * the SQL reader took for a table, a table of another schema, a typo) leaves the
 * analysis and goes to the confidence list with the reason. Names are matched
 * case-insensitively and take the schema's spelling.
 */
export function restrictToSchema(model: CodeModel, schema: DatabaseSchema): CodeModel {
  const known = new Map(schema.tables.map((t) => [t.name.toLowerCase(), t.name]));
  const confidence: ConfidenceItem[] = [...model.confidence];
  const reported = new Set<string>();
  const report = (
    a: { table: string; mode: string; file: string; line: number },
    detail: string,
  ) => {
    const id = `${a.file}:${a.line}:${a.table}`;
    if (reported.has(id)) return;
    reported.add(id);
    confidence.push({ kind: 'unresolved-table', file: a.file, line: a.line, detail });
  };
  const keep = <T extends { table: string; mode: string; file: string; line: number }>(
    access: T,
    symbol: string,
    via: string,
  ): T | undefined => {
    const name = known.get(access.table.toLowerCase());
    if (name) return name === access.table ? access : { ...access, table: name };
    report(
      access,
      `${symbol}: '${access.table}' (${via}, ${access.mode}) is not a table or view of the ${schema.engine} schema (${schema.tables.length} relations): a name built at run time, a query or function read as a table, another schema, or a typo`,
    );
    return undefined;
  };
  const keepAll = (accesses: readonly TableAccess[]) =>
    accesses.map((a) => keep(a, a.symbol, a.via)).filter((a): a is TableAccess => a !== undefined);

  const functions = new Map(
    [...model.functions].map(([key, fn]) => [key, { ...fn, accesses: keepAll(fn.accesses) }]),
  );
  const transactions = model.transactions.map((tx) => ({
    ...tx,
    tables: tx.tables
      .map((t) => keep(t, t.path[t.path.length - 1] ?? tx.symbol, 'transaction'))
      .filter((t): t is NonNullable<typeof t> => t !== undefined),
  }));
  return { ...model, accesses: keepAll(model.accesses), functions, transactions, confidence };
}
