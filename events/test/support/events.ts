import { createEvent, type EventEnvelope } from '../../src/envelope';
import type { OutgoingMessage } from '../../src/broker/broker';

export function testEvent(
  type: string,
  id: number,
  data: Record<string, unknown> = {},
  version = 1,
): EventEnvelope {
  return createEvent({
    type,
    version,
    source: 'test',
    entity: { type: 'thing', id, link: `/things/${id}` },
    data: { n: id, ...data },
    correlationId: `corr-${id}`,
  });
}

export function asMessage(event: EventEnvelope): OutgoingMessage {
  return { eventId: event.id, routingKey: event.type, body: JSON.stringify(event) };
}
