import type { Knex } from 'knex';
import type { DeadLetter, DeadLetterQueue } from '../broker';
import { DEAD_LETTERS, MESSAGES, type MessageRow } from './embedded-queue';

/** A dead letter keeps its message's row, with why and when it died instead of the last error. */
type DeadRow = Omit<MessageRow, 'last_error'> & { reason: string; dead_at: string };

function toDeadLetter(row: DeadRow): DeadLetter {
  return {
    id: String(row.id),
    subscriber: row.subscriber,
    eventId: row.event_id,
    routingKey: row.routing_key,
    body: row.body,
    reason: row.reason,
    deliveries: Number(row.deliveries),
    deadAt: row.dead_at,
  };
}

const numericIds = (ids: string[]) => ids.filter((id) => /^\d+$/.test(id)).map(Number);

/** The embedded broker's dead-letter table. */
export function embeddedDeadLetters(db: Knex, onReplay: () => void): DeadLetterQueue {
  return {
    async list(filter = {}) {
      const query = db(DEAD_LETTERS)
        .select('*')
        .orderBy('id')
        .limit(filter.limit ?? 1000);
      if (filter.subscriber) query.where('subscriber', filter.subscriber);
      return (await query).map(toDeadLetter);
    },
    async replay(ids) {
      const replayed = await db.transaction(async (trx) => {
        const rows: DeadRow[] = await trx(DEAD_LETTERS).select('*').whereIn('id', numericIds(ids));
        if (rows.length === 0) return 0;
        await trx(MESSAGES).insert(
          rows.map((row) => ({
            subscriber: row.subscriber,
            event_id: row.event_id,
            routing_key: row.routing_key,
            body: row.body,
            published_at: row.published_at,
            available_at: Date.now(),
            deliveries: 0,
          })),
        );
        await trx(DEAD_LETTERS)
          .whereIn(
            'id',
            rows.map((row) => row.id),
          )
          .delete();
        return rows.length;
      });
      if (replayed > 0) onReplay();
      return replayed;
    },
    async drop(ids) {
      return db(DEAD_LETTERS).whereIn('id', numericIds(ids)).delete();
    },
  };
}
