import type { z } from 'zod';
import { didYouMean } from '../../../common/src/did-you-mean';

// How to fix each field, by its key: appended to the schema's message.
const FIX: Record<string, string> = {
  version: 'start the file with version: 1',
  routes: 'e.g. routes: strangler-proxy/routes.yaml',
  changes: 'e.g. changes: { retentionHours: 24 }',
  retentionHours: 'hours to keep applied change rows, e.g. retentionHours: 24',
  dataSets: 'e.g. dataSets: { catalog: { owner: monolith, source: …, target: …, tables: […] } }',
  owner:
    "name the upstream that takes writes: the source's (e.g. monolith) or the target's (e.g. catalog-service)",
  source: 'e.g. source: { env: DATABASE_URL, default: monolith, upstream: monolith }',
  target:
    'e.g. target: { env: CATALOG_DATABASE_URL, default: catalog-service, upstream: catalog-service, migrations: migrations/catalog-service }',
  env: 'name an environment variable in capitals, e.g. env: CATALOG_DATABASE_URL',
  default: 'a URL, sqlite:<file>, or a bare name for data/<name>.sqlite',
  upstream: 'the upstream name in the routes file, e.g. upstream: catalog-service',
  migrations: 'a folder relative to the spec file, e.g. migrations: migrations/catalog-service',
  tables:
    'list the tables parents first, e.g. tables: [{ name: artists, key: id, columns: [id, name] }]',
  name: 'a plain table name such as artists',
  key: 'the column that identifies a row, e.g. key: id',
  keyType: 'use keyType: integer or keyType: text',
  columns: 'e.g. columns: [id, name] or, to rename, columns: { id: id, name: full_name }',
};

export const KNOWN_FIELDS = Object.keys(FIX);

function describeLocation(path: readonly PropertyKey[]): string {
  if (path[0] === 'dataSets' && path.length > 1) return `data set "${String(path[1])}"`;
  return 'top level';
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .slice(path[0] === 'dataSets' ? 2 : 0)
    .map(String)
    .join('.');
}

/** One line per problem: file, data set, field, what is wrong and how to fix it. */
export function formatSpecIssue(file: string, issue: z.core.$ZodIssue): string {
  const where = describeLocation(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"${didYouMean(k, KNOWN_FIELDS)}`).join(', ');
    const inside = fieldOf(issue.path);
    return `${file}: ${where}: unknown field ${keys}${inside ? ` in "${inside}"` : ''}; remove it or fix its spelling`;
  }
  const field = fieldOf(issue.path);
  const key = [...issue.path].reverse().find((p) => typeof p === 'string' && FIX[p]) as
    | string
    | undefined;
  const fix = key ? `. Fix: ${FIX[key]}` : '';
  const message =
    issue.code === 'invalid_type' && /received undefined/.test(issue.message)
      ? 'is missing'
      : issue.message;
  return `${file}: ${where}: ${field ? `field "${field}": ` : ''}${message}${fix}`;
}

export function formatSpecProblem(
  file: string,
  set: string,
  field: string,
  problem: string,
  fix: string,
): string {
  return `${file}: data set "${set}": field "${field}": ${problem}. Fix: ${fix}`;
}
