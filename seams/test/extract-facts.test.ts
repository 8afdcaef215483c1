import { parseFile } from '../src/extract/parse-file';

function accessesOf(source: string, fnId: string) {
  const fn = parseFile('file.ts', source).functions.find((f) => f.id === fnId);
  if (!fn) throw new Error(`no function ${fnId}`);
  return fn.accesses.map(
    (a) =>
      `${a.mode}:${a.ref.kind === 'literal' ? a.ref.value : `${a.ref.kind}(${'name' in a.ref ? a.ref.name : ''})`}:${a.via}`,
  );
}

describe('table access extraction', () => {
  it('finds every common knex form and classifies reads and writes', () => {
    const source = `
      export async function all(db) {
        await db('a').where({ id: 1 }).first();
        await db.from('b').select('x');
        await db.insert({ x: 1 }).into('c');
        await db.table('d').update({ x: 2 });
        await db('e').innerJoin('f', 'f.id', 'e.f_id').leftJoin('g as gg', 'gg.id', 'e.g_id').del();
        await db.select('*').from('h');
      }`;
    expect(accessesOf(source, 'all')).toEqual([
      'read:a:knex()',
      'read:b:.from',
      'write:c:.into',
      'write:d:.table',
      'write:e:knex()',
      'read:f:.innerJoin',
      'read:g:.leftJoin',
      'read:h:.from',
    ]);
  });

  it('keeps identifiers, members and class fields for resolution, and ignores non-knex calls', () => {
    const source = `
      import type { Knex } from 'knex';
      class Repo {
        private readonly table = 'x';
        constructor(private readonly store: Knex) {}
        run() { Array.from('abc'); return [this.store(this.table), this.store(T.Orders), this.store(NAME).insert({})]; }
      }`;
    expect(accessesOf(source, 'Repo.run')).toEqual([
      'read:this-field(table):knex()',
      'read:member(Orders):knex()',
      'write:identifier(NAME):knex()',
    ]);
  });

  it('records transaction bodies with the calls they make', () => {
    const source = `
      export function place(db) {
        return db.transaction(async (trx) => { await trx('orders').insert({}); await pay(trx); });
      }`;
    const fn = parseFile('file.ts', source).functions.find((f) => f.id === 'place');
    expect(fn?.knexTransaction).toBe('db.transaction');
    expect(fn?.transactions).toHaveLength(1);
    expect(fn?.transactions[0].accesses.map((a) => a.ref)).toEqual([
      { kind: 'literal', value: 'orders' },
    ]);
    expect(fn?.transactions[0].calls.map((c) => c.callee)).toEqual([
      { kind: 'identifier', name: 'pay' },
    ]);
  });

  it('reads `this` as a builder only in function callbacks of builder methods, and never a result variable', () => {
    const source = `
      export async function q(db) {
        await db('a').whereExists(function () { this.from('b'); });
        [1].forEach(function () { this.from('not_a_table'); });
        const rows = await db('c');
        return rows.map((r) => r.name).join(', ');
      }`;
    expect(accessesOf(source, 'q')).toEqual(['read:a:knex()', 'read:b:.from', 'read:c:knex()']);
  });

  it('recognises a function that runs its callback parameter inside a knex transaction', () => {
    const facts = parseFile(
      'file.ts',
      `import type { Knex } from 'knex';
      export function withTx(store: Knex, work) { return store.transaction((trx) => work(trx)); }
      export function handOver(store: Knex, work) { return store.transaction(work); }
      export function notAWrapper(store: Knex, work) { work(); return store('x'); }
      export async function use(store: Knex) { await withTx(store, async (tx) => tx('orders').insert({})); }`,
    );
    const byId = Object.fromEntries(facts.functions.map((fn) => [fn.id, fn]));
    expect(byId.withTx.transactionCallbackParam).toBe(1);
    expect(byId.handOver.transactionCallbackParam).toBe(1);
    expect(byId.notAWrapper.transactionCallbackParam).toBeUndefined();
    expect(byId.use.callbacks).toEqual([
      expect.objectContaining({ text: 'withTx', argIndex: 1, accesses: [0, 1] }),
    ]);
  });

  it('marks type-only, dynamic and require imports', () => {
    const facts = parseFile(
      'file.ts',
      `import type { A } from './a'; import { type B, C } from './b'; const d = require('./d'); import('./e');`,
    );
    expect(facts.imports.map((i) => [i.specifier, i.kind, i.typeOnly])).toEqual([
      ['./a', 'static', true],
      ['./b', 'static', false],
      ['./d', 'require', false],
      ['./e', 'dynamic', false],
    ]);
  });
});
