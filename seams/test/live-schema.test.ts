import {
  createTemporaryDatabase,
  describeEachEngine,
  type TemporaryDatabase,
} from '../../test/support/engines';
import { analyseSeams } from '../src/analyse-seams';
import { readSchema } from '../src/schema/read-schema';
import { FIXTURES } from './support/analyse-fixture';
import type { DatabaseSchema } from '../src/schema/schema-model';

describeEachEngine('live schema reader', (engine) => {
  let database: TemporaryDatabase;
  let schema: DatabaseSchema;

  beforeAll(async () => {
    database = await createTemporaryDatabase(engine, 'seams-schema');
    const db = database.open();
    await db.schema.createTable('authors', (t) => {
      t.increments('id').primary();
      t.string('name').notNullable();
    });
    await db.schema.createTable('books', (t) => {
      t.increments('id').primary();
      t.integer('author_id').notNullable(); // no declared key: implied by its name
      t.string('category_id'); // no table "categories": not a key
      t.index(['author_id'], 'books_author_idx');
    });
    await db.schema.createTable('reviews', (t) => {
      t.increments('id').primary();
      t.integer('book_id').notNullable().references('id').inTable('books').onDelete('CASCADE');
      t.string('author_id').notNullable(); // wrong type for authors.id: not implied
    });
    await db.destroy();
    schema = await readSchema(database.url);
  });

  afterAll(() => database?.cleanup());

  it('reads tables, columns and primary keys', () => {
    expect(schema.engine).toBe(engine);
    expect(schema.tables.map((t) => [t.name, t.primaryKey])).toEqual([
      ['authors', ['id']],
      ['books', ['id']],
      ['reviews', ['id']],
    ]);
    expect(schema.tables[1].columns.map((c) => c.name)).toEqual(['id', 'author_id', 'category_id']);
    expect(schema.tables[1].indexes).toEqual(
      expect.arrayContaining([{ name: 'books_author_idx', columns: ['author_id'], unique: false }]),
    );
  });

  it('when SchemaSpy is not installed, then the schema is still joined with the code and the report says why SchemaSpy did not run', async () => {
    const saved = { path: process.env.PATH, jar: process.env.SCHEMASPY_JAR };
    process.env.PATH = '/nonexistent';
    delete process.env.SCHEMASPY_JAR;
    try {
      const report = await analyseSeams({
        root: `${FIXTURES}/clean`,
        db: database.url,
        cache: false,
        schemaspy: true,
      });
      expect(report.schema?.tables.map((t) => t.name)).toEqual(['authors', 'books', 'reviews']);
      expect(report.tables.find((t) => t.table === 'books')).toMatchObject({
        inSchema: true,
        owner: undefined,
      });
      expect(report.schemaspy).toEqual({
        ran: false,
        reason: 'schemaspy is not on PATH and SCHEMASPY_JAR is not set',
      });
    } finally {
      process.env.PATH = saved.path;
      if (saved.jar !== undefined) process.env.SCHEMASPY_JAR = saved.jar;
    }
  });

  it('reports declared keys with ON DELETE and implied keys from naming and matching types', () => {
    expect(
      schema.foreignKeys.map(
        (k) =>
          `${k.table}.${k.columns} -> ${k.refTable}.${k.refColumns} ${k.onDelete}${k.implied ? ' implied' : ''}`,
      ),
    ).toEqual([
      'reviews.book_id -> books.id CASCADE',
      'books.author_id -> authors.id none implied',
    ]);
  });
});
