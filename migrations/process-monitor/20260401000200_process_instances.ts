import type { Knex } from 'knex';
import { createInboxTable, dropInboxTable } from '../../events/src/outbox/outbox-schema';

// The business-process monitor's own database: the steps seen per process instance.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pm_steps', (t) => {
    t.string('process', 100).notNullable();
    t.string('instance_key', 200).notNullable();
    t.string('step', 200).notNullable(); // an event type
    t.string('occurred_at', 30).notNullable();
    t.primary(['process', 'instance_key', 'step']);
  });
  await knex.schema.createTable('pm_instances', (t) => {
    t.string('process', 100).notNullable();
    t.string('instance_key', 200).notNullable();
    t.string('started_at', 30).nullable();
    t.string('deadline_at', 30).nullable();
    t.string('completed_at', 30).nullable();
    t.integer('steps_seen').notNullable();
    t.primary(['process', 'instance_key']);
    t.index(['process', 'completed_at', 'deadline_at']);
  });
  await createInboxTable(knex);
}

export async function down(knex: Knex): Promise<void> {
  await dropInboxTable(knex);
  await knex.schema.dropTable('pm_instances');
  await knex.schema.dropTable('pm_steps');
}
