import fs from 'node:fs';
import path from 'node:path';
import { looksLikeSql, parseSqlTables } from '../src/extract/parse-sql';
import { loadPostgresParser } from '../src/extract/postgres-parser';
import { readSqlTables, type SqlParser } from '../src/extract/read-sql';

const tables = (sql: string) =>
  Object.fromEntries(parseSqlTables(sql).map((t) => [t.table, t.mode]));

describe('parseSqlTables', () => {
  it('reads FROM lists and every kind of JOIN', () => {
    expect(
      tables(
        'select * from orders o, customers c left outer join "public"."albums" a on a.id = o.album_id',
      ),
    ).toEqual({
      orders: 'read',
      customers: 'read',
      albums: 'read',
    });
  });

  it('classifies INSERT, UPDATE, DELETE targets as writes and their sources as reads', () => {
    expect(tables('insert into ledger (a) select id from orders')).toEqual({
      ledger: 'write',
      orders: 'read',
    });
    expect(tables('update stock set quantity = quantity - ? where album_id = ?')).toEqual({
      stock: 'write',
    });
    expect(tables('delete from picks where order_id in (select id from orders)')).toEqual({
      picks: 'write',
      orders: 'read',
    });
  });

  it('ignores CTE names, comments and quoted values', () => {
    expect(
      tables(
        "with recent as (select * from orders) -- from nowhere\n select * from recent where note = 'from fake'",
      ),
    ).toEqual({ orders: 'read' });
  });

  it('recognises whole statements only', () => {
    expect(looksLikeSql('select 1 from dual')).toBe(true);
    expect(looksLikeSql('  DELETE FROM x')).toBe(true);
    expect(looksLikeSql('please select an item from the list')).toBe(false);
  });
});

describe('the SQL corpus (seams/test/fixtures/sql): PostgreSQL parser first, regular expressions as the fallback', () => {
  const corpus = (name: string): Array<{ sql: string; tables: Record<string, string> }> =>
    JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sql', `${name}.json`), 'utf8'));
  let parser: SqlParser | undefined;
  beforeAll(async () => {
    parser = await loadPostgresParser();
  });

  it.each(['statements', 'held-out', 'hard'])(
    'reads the tables and modes of every statement of %s.json exactly',
    (name) => {
      expect(parser).toBeDefined();
      for (const { sql, tables: expected } of corpus(name)) {
        const got = Object.fromEntries(readSqlTables(sql, parser).map((t) => [t.table, t.mode]));
        expect({ sql, got }).toEqual({ sql, got: expected });
      }
    },
  );

  it('reads fragments (joinRaw, whereRaw) with the regular expressions, which the parser rejects', () => {
    for (const { sql, tables: expected } of corpus('fragments')) {
      expect(parser?.(sql)).toBeUndefined();
      expect({ sql, got: tables(sql) }).toEqual({ sql, got: expected });
    }
  });

  it("turns knex's ? and :name bindings into PostgreSQL's, and reports no table for a ?? identifier binding", () => {
    expect(parser?.('select * from ?? where id = ? and name = :name')).toEqual([]);
    expect(parser?.('update stock set quantity = ? where sku = :sku::text')).toEqual([
      { table: 'stock', mode: 'write' },
    ]);
  });
});
