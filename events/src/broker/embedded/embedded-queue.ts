import type { Knex } from 'knex';
import { engineOf, toNumber } from '../../../../common/src/database';
import type { OutgoingMessage } from '../broker';
import { matchesTopic } from '../../topic-pattern';

export const MESSAGES = 'eb_messages';
export const SUBSCRIBERS = 'eb_subscribers';
export const DEAD_LETTERS = 'eb_dead_letters';

export interface MessageRow {
  id: number;
  subscriber: string;
  event_id: string;
  routing_key: string;
  body: string;
  published_at: string;
  deliveries: number;
  last_error: string | null;
}

/** The SQL of the embedded broker's queues: routing, leasing, acks, dead letters. */
export class EmbeddedQueue {
  private readonly postgres: boolean;

  constructor(readonly db: Knex) {
    this.postgres = engineOf(db) === 'postgres';
  }

  async declare(name: string, topics: string[], deliveryLimit: number | null): Promise<void> {
    await this.db(SUBSCRIBERS)
      .insert({
        name,
        topics: JSON.stringify(topics),
        delivery_limit: deliveryLimit,
        declared_at: new Date().toISOString(),
      })
      .onConflict('name')
      .merge(['topics', 'delivery_limit', 'declared_at']);
  }

  /** Copies each message to every subscriber whose topics match it; returns how many copies. */
  async publish(messages: OutgoingMessage[]): Promise<number> {
    const subscribers = (await this.db(SUBSCRIBERS).select('name', 'topics')).map((row) => ({
      name: row.name as string,
      topics: JSON.parse(row.topics) as string[],
    }));
    const now = Date.now();
    const publishedAt = new Date(now).toISOString();
    const rows = messages.flatMap((message) =>
      subscribers
        .filter((s) => s.topics.some((topic) => matchesTopic(topic, message.routingKey)))
        .map((s) => ({
          subscriber: s.name,
          event_id: message.eventId,
          routing_key: message.routingKey,
          body: message.body,
          published_at: publishedAt,
          available_at: now,
          deliveries: 0,
        })),
    );
    if (rows.length > 0)
      await this.db.transaction(async (trx) => {
        for (let i = 0; i < rows.length; i += 500)
          await trx(MESSAGES).insert(rows.slice(i, i + 500));
      });
    return rows.length;
  }

  /** Leases up to `limit` due messages of a subscriber (competing consumers never get the same one). */
  async claim(
    subscriber: string,
    owner: string,
    limit: number,
    leaseMs: number,
  ): Promise<MessageRow[]> {
    const now = Date.now();
    const lock = this.postgres ? 'for update skip locked' : '';
    const result = await this.db.raw(
      `update ${MESSAGES} set deliveries = deliveries + 1, lease_owner = ?, lease_until = ?
        where id in (select id from ${MESSAGES}
                      where subscriber = ? and available_at <= ? and (lease_until is null or lease_until < ?)
                      order by id limit ? ${lock})
        returning id, subscriber, event_id, routing_key, body, published_at, deliveries, last_error`,
      [owner, now + leaseMs, subscriber, now, now, limit],
    );
    const rows: MessageRow[] = Array.isArray(result) ? result : result.rows;
    return rows
      .map((row) => ({ ...row, id: Number(row.id), deliveries: Number(row.deliveries) }))
      .sort((a, b) => a.id - b.id);
  }

  async renew(ids: number[], owner: string, leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db(MESSAGES)
      .whereIn('id', ids)
      .where('lease_owner', owner)
      .update({ lease_until: Date.now() + leaseMs });
  }

  async ack(id: number, owner: string): Promise<void> {
    await this.db(MESSAGES).where({ id, lease_owner: owner }).delete();
  }

  async retryLater(id: number, owner: string, delayMs: number, error: string): Promise<void> {
    await this.db(MESSAGES)
      .where({ id, lease_owner: owner })
      .update({
        available_at: Date.now() + delayMs,
        lease_owner: null,
        lease_until: null,
        last_error: error.slice(0, 2000),
      });
  }

  /** Moves a leased message to the dead letters; false when this owner no longer holds it. */
  async deadLetter(row: MessageRow, owner: string, reason: string): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const deleted = await trx(MESSAGES).where({ id: row.id, lease_owner: owner }).delete();
      if (deleted === 0) return false;
      await trx(DEAD_LETTERS).insert({
        subscriber: row.subscriber,
        event_id: row.event_id,
        routing_key: row.routing_key,
        body: row.body,
        published_at: row.published_at,
        deliveries: row.deliveries,
        reason: reason.slice(0, 4000),
        dead_at: new Date().toISOString(),
      });
      return true;
    });
  }

  async depth(subscriber: string): Promise<number> {
    const [row] = await this.db(MESSAGES).where({ subscriber }).count({ n: '*' });
    return toNumber(row?.n);
  }
}
