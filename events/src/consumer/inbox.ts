import type { Knex } from 'knex';
import { INBOX_TABLE } from '../outbox/outbox-schema';

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/**
 * Records that `consumer` handles `eventId`, in the handler's transaction; false when it already
 * did (a redelivery or a duplicate publish), and the handler must not run again.
 */
export async function enterInbox(
  trx: Knex.Transaction,
  consumer: string,
  eventId: string,
): Promise<boolean> {
  try {
    await trx(INBOX_TABLE).insert({
      consumer,
      event_id: eventId,
      handled_at: new Date().toISOString(),
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
