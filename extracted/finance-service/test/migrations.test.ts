import { migrateLatest, migrateRollbackAll } from '../../../common/src/migrate';
import { createTemporaryDatabase, describeEachEngine } from '../../../test/support/engines';

describeEachEngine('finance-service migrations', (engine) => {
  test('up (no foreign key to albums or orders), down to nothing, and up again', async () => {
    const temp = await createTemporaryDatabase(engine, 'finance-migrations');
    const db = temp.open();
    try {
      const tables = ['ledger_entries', 'ledger_lines', 'countries', 'voided_payments'];
      await migrateLatest(db, 'finance-service');
      for (const table of tables) expect(await db.schema.hasTable(table)).toBe(true);
      // The album the line points at does not exist here, and need not: that check moved into code.
      const [entry] = await db('ledger_entries')
        .insert({
          order_id: 1,
          customer_id: 1,
          kind: 'payment',
          amount_cents: 1,
          tax_cents: 0,
          country_code: 'DE',
          recorded_at: '2026-01-01T00:00:00.000Z',
        })
        .returning('id');
      await db('ledger_lines').insert({
        ledger_entry_id: entry.id,
        album_id: 424242,
        quantity: 1,
        amount_cents: 1,
      });
      expect(await migrateRollbackAll(db, 'finance-service')).toHaveLength(3);
      for (const table of tables) expect(await db.schema.hasTable(table)).toBe(false);
      await migrateLatest(db, 'finance-service');
    } finally {
      await db.destroy();
      await temp.cleanup();
    }
  });
});
