import { looksLikeSql, parseSqlTables } from '../src/extract/parse-sql';

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
