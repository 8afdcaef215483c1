import fs from 'node:fs';
import path from 'node:path';
import {
  type ExpectedAccess,
  outsidePackageFiles,
  patternFiles,
  repositoryAccesses,
  sharedPatternFiles,
} from './generate-patterns';

export interface SyntheticShape {
  contexts: number;
  filesPerContext: number;
}

const pad = (n: number, width = 3) => String(n).padStart(width, '0');

function tablesFile(ctx: string, count: number): string {
  const lines = Array.from(
    { length: count },
    (_, i) => `export const TABLE_${pad(i)} = '${ctx}_t${pad(i)}';`,
  );
  return `${lines.join('\n')}\nexport const TABLES = { audit: '${ctx}_audit' } as const;\n`;
}

function repositoryFile(ctx: string, i: number, other: string): string {
  return `import type { Knex } from 'knex';
import { TABLE_${pad(i)}, TABLES } from './tables';

export interface Row${i} {
  id: number;
  name: string;
  amountCents: number;
}

export class Repository${i} {
  private readonly table = TABLE_${pad(i)};

  constructor(private readonly db: Knex) {}

  async find(id: number): Promise<Row${i} | undefined> {
    return this.db(this.table).where({ id }).first();
  }

  async list(limit: number): Promise<Row${i}[]> {
    return this.db(TABLE_${pad(i)}).select('*').orderBy('id').limit(limit);
  }

  async save(row: Omit<Row${i}, 'id'>): Promise<void> {
    await this.db(TABLE_${pad(i)}).insert(row);
    await this.db(TABLES.audit).insert({ entity: '${ctx}-${i}', at: new Date().toISOString() });
  }

  async withOther(id: number) {
    return this.db(TABLE_${pad(i)}).join('${other}', '${other}.id', '${ctx}_t${pad(i)}.other_id').where('${ctx}_t${pad(i)}.id', id);
  }

  async totals() {
    return this.db.raw('select count(*) as n, sum(amount_cents) as total from ${ctx}_t${pad(i)} where id > ?', [0]);
  }

  transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
`;
}

function serviceFile(i: number, crossImport: string, typeImport: string): string {
  const previous = i > 1 ? `import { describe${i - 2} } from './service-${pad(i - 2)}';\n` : '';
  const usePrevious = i > 1 ? `describe${i - 2}(row.name)` : 'row.name';
  return `import type { Knex } from 'knex';
import { Repository${i - 1}, type Row${i - 1} } from './repository-${pad(i - 1)}';
${previous}${crossImport}${typeImport}
export function describe${i}(name: string): string {
  return name.trim().toLowerCase();
}

export class Service${i} {
  private readonly repository: Repository${i - 1};

  constructor(db: Knex) {
    this.repository = new Repository${i - 1}(db);
  }

  async show(id: number): Promise<string> {
    const row = await this.repository.find(id);
    if (!row) throw new Error('not found: ' + id);
    return ${usePrevious};
  }

  async create(name: string, amountCents: number): Promise<void> {
    if (amountCents < 0) throw new Error('negative amount');
    await this.repository.transaction(async () => {
      await this.repository.save({ name, amountCents });
    });
  }

  summarise(rows: Row${i - 1}[]): { count: number; total: number } {
    let total = 0;
    for (const row of rows) total += row.amountCents;
    return { count: rows.length, total };
  }
}
`;
}

/** Pattern files per context (generate-patterns), counted in filesPerContext. */
const PATTERN_FILES = 9;

/**
 * Writes a synthetic TypeScript monolith: N contexts × M files, each context a
 * barrel, table constants, repositories with knex calls, services that import
 * each other, other contexts (through their barrels) and types, and one file per
 * table-access pattern real backends use. Returns the file count and every table
 * access a correct analysis reports (the known answer for precision and recall).
 */
export function generateMonolith(
  dir: string,
  shape: SyntheticShape,
): { files: number; expected: ExpectedAccess[] } {
  let written = 0;
  const expected: ExpectedAccess[] = [];
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    written += 1;
  };
  write(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          module: 'commonjs',
          target: 'es2022',
          strict: true,
          baseUrl: '.',
          paths: { '@bench/db': ['packages/db/src/index.ts'] },
        },
      },
      null,
      2,
    ),
  );
  const names = Array.from({ length: shape.contexts }, (_, c) => `ctx${pad(c, 2)}`);
  for (const file of sharedPatternFiles()) write(path.join(dir, 'src', file.path), file.text);
  for (const file of outsidePackageFiles(names)) write(path.join(dir, file.path), file.text);
  const pairs = Math.floor((shape.filesPerContext - 2 - PATTERN_FILES) / 2);
  for (let c = 0; c < shape.contexts; c += 1) {
    const ctx = names[c];
    const next = names[(c + 1) % shape.contexts];
    const far = names[(c + 7) % shape.contexts];
    const root = path.join(dir, 'src', ctx);
    write(path.join(root, 'tables.ts'), tablesFile(ctx, pairs * 2));
    const exports = [];
    for (let p = 0; p < pairs; p += 1) {
      const i = p * 2 + 1;
      const other = `${far}_t${pad(p)}`;
      write(path.join(root, `repository-${pad(i - 1)}.ts`), repositoryFile(ctx, i - 1, other));
      expected.push(
        ...repositoryAccesses(
          ctx,
          `${ctx}/repository-${pad(i - 1)}.ts`,
          i - 1,
          `${ctx}_t${pad(i - 1)}`,
          other,
        ),
      );
      const cross =
        p % 5 === 0
          ? `import { describe1 as remote${i} } from '../${next}';\nexport const crossName${i} = remote${i}('${ctx}');\n`
          : '';
      const typeOnly =
        p % 7 === 0
          ? `import type { Row0 as ForeignRow } from '../${far}/repository-000';\nexport type Foreign${i} = ForeignRow;\n`
          : '';
      write(path.join(root, `service-${pad(i)}.ts`), serviceFile(i, cross, typeOnly));
      if (p < 3) exports.push(`export * from './service-${pad(i)}';`);
    }
    for (const file of patternFiles(ctx, `${next}_t001`)) {
      write(path.join(dir, 'src', file.path), file.text);
      expected.push(...file.expected);
    }
    write(path.join(root, 'index.ts'), `${exports.join('\n')}\n`);
  }
  return { files: written, expected };
}
