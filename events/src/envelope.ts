import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EventsError } from './errors';

/** What every event carries; `data` is the type's own payload. */
export interface EventEnvelope<D = unknown> {
  /** Unique per event (a UUID); consumers de-duplicate on it. */
  id: string;
  /** Dotted, context first: `warehouse.order.placed`. It is also the routing key. */
  type: string;
  /** The version of `data`'s shape; a consumer dead-letters versions it does not read. */
  version: number;
  occurredAt: string;
  /** The request's X-Correlation-ID, the same one the proxy and the services log. */
  correlationId: string;
  /** The id of the event that caused this one, when a consumer emitted it. */
  causationId?: string;
  /** The component that owns the change: `legacy-monolith`, `finance-service`. */
  source: string;
  /** The entity that changed, and where to read it. */
  entity: { type: string; id: string; link: string };
  data: D;
}

export interface NewEvent<D = unknown> {
  type: string;
  version?: number;
  source: string;
  entity: { type: string; id: string | number; link: string };
  data: D;
  correlationId?: string;
  causationId?: string;
  occurredAt?: string | Date;
}

const TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * Builds an envelope: a fresh id, version 1 unless given, now unless `occurredAt` is given.
 *
 * @example createEvent({ type: 'warehouse.order.placed', source: 'legacy-monolith', entity: { type: 'order', id: 7, link: '/warehouse/orders/7' }, data: {...} })
 */
export function createEvent<D>(input: NewEvent<D>): EventEnvelope<D> {
  if (!TYPE.test(input.type))
    throw new EventsError(
      'ERR_EVENTS_INVALID_EVENT',
      `event type "${input.type}" must be dotted lower-case words, context first (example: warehouse.order.placed)`,
    );
  const occurredAt =
    input.occurredAt instanceof Date
      ? input.occurredAt.toISOString()
      : (input.occurredAt ?? new Date().toISOString());
  return {
    id: randomUUID(),
    type: input.type,
    version: input.version ?? 1,
    occurredAt,
    correlationId: input.correlationId ?? randomUUID(),
    ...(input.causationId ? { causationId: input.causationId } : {}),
    source: input.source,
    entity: {
      type: input.entity.type,
      id: String(input.entity.id),
      link: input.entity.link,
    },
    data: input.data,
  };
}

// Tolerant reader: unknown fields are dropped, not refused; only what a consumer needs is checked.
const envelopeSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(200),
  version: z.number().int().min(1),
  occurredAt: z.string().min(1),
  correlationId: z.string().min(1).max(200),
  causationId: z.string().max(200).optional(),
  source: z.string().default('unknown'),
  entity: z.object({ type: z.string(), id: z.string(), link: z.string() }),
  data: z.unknown(),
});

export type ReadResult = { ok: true; event: EventEnvelope } | { ok: false; reason: string };

/** Reads a message body as an event envelope, tolerantly: extra fields are ignored, missing ones named. */
export function readEnvelope(body: string): ReadResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `not an event envelope: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    };
  }
  return { ok: true, event: parsed.data as EventEnvelope };
}
