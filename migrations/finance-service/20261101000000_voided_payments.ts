import type { Knex } from 'knex';

// The saga voids a payment whose outcome it does not know. When the void finds
// no payment yet, the order is remembered here so that the payment, if it
// arrives late (a slow network, a retried request), is refused instead of
// charging a cancelled order.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('voided_payments', (t) => {
    t.integer('order_id').primary();
    t.string('voided_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('voided_payments');
}
