import path from 'node:path';
import {
  createTemporaryDatabase,
  describeEachEngine,
  type TemporaryDatabase,
} from '../../test/support/engines';
import { analyseSeams } from '../src/analyse-seams';
import type { SeamsReport } from '../src/seams-report';
import { FIXTURES } from './support/analyse-fixture';

const ROOT = path.join(FIXTURES, 'patterns', 'schema-names');

describeEachEngine('with --db, the schema decides what is a table', (engine) => {
  let database: TemporaryDatabase;
  let report: SeamsReport;
  let withoutSchema: SeamsReport;

  beforeAll(async () => {
    database = await createTemporaryDatabase(engine, 'seams-schema-names');
    const db = database.open();
    await db.schema.createTable('albums', (t) => {
      t.increments('id').primary();
      t.string('title');
    });
    await db.schema.createTable('sales', (t) => {
      t.increments('id').primary();
      t.integer('album_id').references('id').inTable('albums');
      t.integer('total');
    });
    await db.raw(
      'create view album_sales as select album_id, sum(total) as total from sales group by album_id',
    );
    await db.destroy();
    report = await analyseSeams({ root: ROOT, db: database.url, cache: false });
    withoutSchema = await analyseSeams({ root: ROOT, cache: false });
  });

  afterAll(() => database?.cleanup());

  it('reads views as relations of the schema, and implies no foreign key on a view', () => {
    expect(report.schema?.tables.map((t) => [t.name, t.kind])).toEqual([
      ['album_sales', 'view'],
      ['albums', 'table'],
      ['sales', 'table'],
    ]);
    expect(report.foreignKeys.map((k) => `${k.table}.${k.columns} -> ${k.refTable}`)).toEqual([
      'sales.album_id -> albums',
    ]);
  });

  it('when a name is not in the schema, then it moves to the unresolved list with the reason, instead of a table finding', () => {
    expect(withoutSchema.findings.map((f) => f.id)).toContain(
      'shared-static-data:albums_archive_2019',
    );
    expect(report.tables.map((t) => t.table)).toEqual(['album_sales', 'albums', 'sales']);
    expect(report.findings.map((f) => f.kind)).not.toContain('shared-static-data');
    expect(report.confidence.map((c) => `${c.file}:${c.line} ${c.detail}`)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^catalog/album-repository.ts:8 archivedAlbums: 'albums_archive_2019' \\(knex\\(\\), read\\) is not a table or view of the ${engine} schema`,
        ),
      ),
      expect.stringMatching(/^reports\/sales-report.ts:8 oldSales: 'albums_archive_2019'/),
    ]);
  });

  it('matches names case-insensitively and uses the schema spelling', () => {
    expect(report.tables.find((t) => t.table === 'albums')?.usage).toEqual({
      catalog: { reads: 0, writes: 1 },
      reports: { reads: 1, writes: 0 },
    });
  });
});
