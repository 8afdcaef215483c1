import { EXIT } from '../../common/src/cli';

/** Every stable error code of the events component. */
export type EventsErrorCode =
  | 'ERR_EVENTS_CONFIG'
  | 'ERR_EVENTS_BROKER_UNREACHABLE'
  | 'ERR_EVENTS_PUBLISH_FAILED'
  | 'ERR_EVENTS_INVALID_EVENT'
  | 'ERR_EVENTS_DEAD_LETTER_NOT_FOUND'
  | 'ERR_EVENTS_OUTBOX_MISSING';

const EXIT_CODES: Record<EventsErrorCode, number> = {
  ERR_EVENTS_CONFIG: EXIT.usage,
  ERR_EVENTS_BROKER_UNREACHABLE: EXIT.usage,
  ERR_EVENTS_PUBLISH_FAILED: EXIT.usage,
  ERR_EVENTS_INVALID_EVENT: EXIT.usage,
  ERR_EVENTS_DEAD_LETTER_NOT_FOUND: EXIT.findings,
  ERR_EVENTS_OUTBOX_MISSING: EXIT.usage,
};

/** The events component's one error class: a stable `code` and a message that says how to fix it. */
export class EventsError extends Error {
  readonly exitCode: number;
  constructor(
    readonly code: EventsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EventsError';
    this.exitCode = EXIT_CODES[code];
  }
}

/**
 * Thrown by a handler for an event that can never succeed (a retry would fail the same way):
 * the consumer dead-letters it at once with this message as the reason.
 */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}
