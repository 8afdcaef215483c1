import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DataMovementError } from '../errors';
import type { TableSpec } from '../table-spec';
import { didYouMean } from '../../../common/src/did-you-mean';
import { projectPath } from '../../../common/src/project-root';
import { formatSpecIssue, formatSpecProblem } from './spec-issues';
import { type SpecDocument, specSchema } from './spec-schema';

/** The spec at the repository root, used when no --spec is given. */
export const DEFAULT_SPEC_FILE = projectPath('data-movement.yaml');

export type Role = 'source' | 'target';

export interface Side {
  role: Role;
  /** The proxy upstream serving this side; the owner is one of the two sides' upstreams. */
  upstream: string;
  env: string;
  default?: string;
  /** Absolute path of this side's migrations folder. */
  migrations?: string;
  tables: TableSpec[];
}

/** One data set of the spec, validated: both sides' tables are aligned column by column. */
export interface DataSet {
  name: string;
  /** The owner the spec names (an upstream); the routes file decides at run time. */
  owner: string;
  specFile: string;
  routesFile?: string;
  retentionHours: number;
  source: Side;
  target: Side;
}

export interface Spec {
  file: string;
  routesFile?: string;
  sets: Map<string, DataSet>;
}

function fail(message: string): never {
  throw new DataMovementError('ERR_DATA_SPEC', message);
}

function sides(file: string, name: string, raw: SpecDocument['dataSets'][string]) {
  const source: TableSpec[] = [];
  const target: TableSpec[] = [];
  raw.tables.forEach((t, i) => {
    const pairs: [string, string][] = Array.isArray(t.columns)
      ? t.columns.map((c) => [c, c])
      : Object.entries(t.columns);
    const from = pairs.map(([s]) => s);
    const to = pairs.map(([, d]) => d);
    for (const [list, label] of [
      [from, 'source'],
      [to, 'target'],
    ] as const) {
      const twice = list.find((c, j) => list.indexOf(c) !== j);
      if (twice)
        fail(
          formatSpecProblem(
            file,
            name,
            `tables.${i}.columns`,
            `${label} column "${twice}" appears twice`,
            'name each column once',
          ),
        );
    }
    const keyAt = from.indexOf(t.key);
    if (keyAt < 0)
      fail(
        formatSpecProblem(
          file,
          name,
          `tables.${i}.key`,
          `key "${t.key}" is not one of the columns (${from.join(', ')})${didYouMean(t.key, from)}`,
          'add the key column to columns, or name one of them as key',
        ),
      );
    source.push({ name: t.name, key: t.key, keyType: t.keyType, columns: from });
    target.push({ name: t.target ?? t.name, key: to[keyAt], keyType: t.keyType, columns: to });
  });
  return { source, target };
}

function resolveFrom(file: string, relative: string | undefined): string | undefined {
  return relative === undefined ? undefined : path.resolve(path.dirname(file), relative);
}

/** Reads and validates a data-movement spec; every problem names the file, the data set, the field and the fix. */
export function loadSpec(file: string = DEFAULT_SPEC_FILE): Spec {
  const shown = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    fail(
      `${shown}: cannot read the data-movement spec; create it (see data-movement/README.md) or pass --spec <file>`,
    );
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    fail(`${shown}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = specSchema.safeParse(raw);
  if (!parsed.success) fail(parsed.error.issues.map((i) => formatSpecIssue(shown, i)).join('\n'));
  const doc = parsed.data;
  const routesFile = resolveFrom(file, doc.routes);
  const sets = new Map<string, DataSet>();
  for (const [name, set] of Object.entries(doc.dataSets)) {
    const sourceUpstream = set.source.upstream ?? 'monolith';
    const targetUpstream = set.target.upstream;
    if (!targetUpstream)
      fail(
        formatSpecProblem(
          shown,
          name,
          'target.upstream',
          'is missing',
          "name the service's upstream in the routes file, e.g. upstream: catalog-service",
        ),
      );
    const known = [sourceUpstream, targetUpstream];
    if (!known.includes(set.owner))
      fail(
        formatSpecProblem(
          shown,
          name,
          'owner',
          `"${set.owner}" is neither side's upstream (known: ${known.join(', ')})${didYouMean(set.owner, known)}`,
          `owner: ${sourceUpstream} until the writes are handed over`,
        ),
      );
    const tables = sides(shown, name, set);
    sets.set(name, {
      name,
      owner: set.owner,
      specFile: file,
      routesFile,
      retentionHours: doc.changes.retentionHours,
      source: {
        role: 'source',
        upstream: sourceUpstream,
        env: set.source.env,
        default: set.source.default,
        migrations: resolveFrom(file, set.source.migrations),
        tables: tables.source,
      },
      target: {
        role: 'target',
        upstream: targetUpstream,
        env: set.target.env,
        default: set.target.default,
        migrations: resolveFrom(file, set.target.migrations),
        tables: tables.target,
      },
    });
  }
  return { file, routesFile, sets };
}

export function findDataSet(spec: Spec, name: string): DataSet {
  const set = spec.sets.get(name);
  if (set) return set;
  const known = [...spec.sets.keys()];
  throw new DataMovementError(
    'ERR_DATA_UNKNOWN_SET',
    `unknown data set "${name}"${didYouMean(name, known)} (known in ${path.relative(process.cwd(), spec.file) || spec.file}: ${known.join(', ') || 'none'}); example: strangler data backfill ${known[0] ?? 'catalog'}`,
  );
}

/** The side whose upstream is `upstream`. */
export function sideOf(set: DataSet, upstream: string): Side {
  if (set.source.upstream === upstream) return set.source;
  if (set.target.upstream === upstream) return set.target;
  throw new DataMovementError(
    'ERR_DATA_SPEC',
    `data set "${set.name}" has no side served by "${upstream}" (known: ${set.source.upstream}, ${set.target.upstream})${didYouMean(upstream, [set.source.upstream, set.target.upstream])}`,
  );
}

export function otherSide(set: DataSet, side: Side): Side {
  return side.role === 'source' ? set.target : set.source;
}
