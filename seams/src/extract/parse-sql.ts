import type { AccessMode } from './facts';

export interface SqlTable {
  table: string;
  mode: AccessMode;
}

const STARTS_LIKE_SQL =
  /^\s*(select|insert\s+into|update\s+[\w"`.[\]]+\s+set|delete\s+from|with\s+\w+\s+as|replace\s+into)\b/i;

/** True for a string that is a whole SQL statement (not just any text with "from" in it). */
export function looksLikeSql(text: string): boolean {
  return STARTS_LIKE_SQL.test(text);
}

const IDENT = String.raw`((?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][\w$]*)(?:\.(?:"[^"]+"|\x60[^\x60]+\x60|[A-Za-z_][\w$]*))?)`;
const WRITE_PATTERNS = [
  new RegExp(String.raw`\binsert\s+(?:or\s+\w+\s+)?into\s+${IDENT}`, 'gi'),
  new RegExp(String.raw`\breplace\s+into\s+${IDENT}`, 'gi'),
  new RegExp(String.raw`\bupdate\s+(?:only\s+)?${IDENT}\s+(?:as\s+\w+\s+|\w+\s+)?set\b`, 'gi'),
  new RegExp(String.raw`\bdelete\s+from\s+(?:only\s+)?${IDENT}`, 'gi'),
  new RegExp(String.raw`\bmerge\s+into\s+${IDENT}`, 'gi'),
  new RegExp(String.raw`\btruncate\s+(?:table\s+)?${IDENT}`, 'gi'),
];
const READ_PATTERN = new RegExp(String.raw`\b(from|join|using)\s+(?:only\s+)?${IDENT}`, 'gi');
// After "FROM a" a comma continues the table list: "FROM a x, b y".
const LIST_CONTINUATION = new RegExp(
  String.raw`^\s*(?:(?:as\s+)?[A-Za-z_]\w*\s*)?,\s*${IDENT}`,
  'i',
);
const KEYWORDS = new Set([
  'select',
  'lateral',
  'only',
  'unnest',
  'generate_series',
  'json_each',
  'values',
  'dual',
]);

function cleanName(raw: string): string {
  const last = raw.split('.').pop() ?? raw;
  return last.replace(/^["`[]|["`\]]$/g, '').toLowerCase();
}

/** Functions whose arguments use FROM as a word (`extract(year from d)`), not a table list. */
const FROM_IN_FUNCTION = /\b(extract|substring|trim|overlay|position)\s*\(([^()]*)\)/gi;

/**
 * Strips comments, quoted string values and the FROM inside `extract(… from …)`,
 * `substring(… from …)` and `IS [NOT] DISTINCT FROM`, so none is mistaken for a table list.
 */
function stripNoise(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(
      FROM_IN_FUNCTION,
      (_, name: string, args: string) => `${name}(${args.replace(/\bfrom\b/gi, ',')})`,
    )
    .replace(/\bis\s+(not\s+)?distinct\s+from\b/gi, '=');
}

/** `name(` right after a FROM item is a set-returning function (`generate_series(…)`), not a table. */
const isFunctionCall = (text: string, end: number) => /^\s*\(/.test(text.slice(end, end + 40));

/**
 * Finds the tables a SQL statement (or fragment, e.g. a joinRaw clause) reads
 * and writes. A regular-expression reader, not a full parser: it knows FROM
 * lists, JOINs, INSERT/UPDATE/DELETE targets, CTE names, sub-queries and
 * functions in FROM. Whole statements go to PostgreSQL's parser first (read-sql).
 *
 * @example parseSqlTables('insert into ledger select * from orders') // → ledger write, orders read
 */
export function parseSqlTables(sql: string): SqlTable[] {
  const text = stripNoise(sql);
  const ctes = new Set<string>();
  // `WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (`, and `, name AS (` after it.
  for (const match of text.matchAll(
    /(?:\bwith(?:\s+recursive)?|,)\s+([A-Za-z_]\w*)\s*(?:\([^()]*\)\s*)?as\s+(?:not\s+)?(?:materialized\s*)?\(/gi,
  ))
    ctes.add(match[1].toLowerCase());
  const found = new Map<string, AccessMode>();
  const add = (raw: string, mode: AccessMode) => {
    const name = cleanName(raw);
    if (!name || ctes.has(name) || KEYWORDS.has(name)) return;
    if (found.get(name) !== 'write') found.set(name, mode);
  };
  const writeTargets = new Set<number>();
  for (const pattern of WRITE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      add(match[1], 'write');
      writeTargets.add((match.index ?? 0) + match[0].lastIndexOf(match[1]));
    }
  }
  for (const match of text.matchAll(READ_PATTERN)) {
    const start = (match.index ?? 0) + match[0].lastIndexOf(match[2]);
    const end = (match.index ?? 0) + match[0].length;
    if (writeTargets.has(start)) continue;
    if (!isFunctionCall(text, end)) add(match[2], 'read');
    let rest = text.slice(end);
    for (let more = LIST_CONTINUATION.exec(rest); more; more = LIST_CONTINUATION.exec(rest)) {
      const after = more.index + more[0].length;
      if (!isFunctionCall(rest, after)) add(more[1], 'read');
      rest = rest.slice(after);
    }
  }
  return [...found].map(([table, mode]) => ({ table, mode }));
}
