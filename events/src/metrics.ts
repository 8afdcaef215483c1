import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type ConsumeOutcome = 'handled' | 'duplicate' | 'ignored' | 'retried' | 'dead-lettered';

/** Prometheus metrics of a process's relay and consumers (one registry per process or test). */
export interface EventsMetrics {
  readonly registry: Registry;
  countRelayed(count: number): void;
  countRelayFailure(): void;
  setOutboxPending(count: number): void;
  countConsumed(consumer: string, outcome: ConsumeOutcome): void;
  observeHandled(consumer: string, handleSeconds: number, endToEndSeconds: number): void;
}

export function createEventsMetrics(registry = new Registry()): EventsMetrics {
  const relayed = new Counter({
    name: 'events_relayed_total',
    help: 'Events the outbox relay published and the broker confirmed',
    registers: [registry],
  });
  const relayFailures = new Counter({
    name: 'events_relay_failures_total',
    help: 'Relay batches that failed (broker down, database error); they are retried',
    registers: [registry],
  });
  const pending = new Gauge({
    name: 'events_outbox_pending',
    help: 'Events in the outbox not yet published, at the last relay pass',
    registers: [registry],
  });
  const consumed = new Counter({
    name: 'events_consumed_total',
    help: 'Deliveries per consumer and outcome (handled, duplicate, ignored, retried, dead-lettered)',
    labelNames: ['consumer', 'outcome'],
    registers: [registry],
  });
  const handleSeconds = new Histogram({
    name: 'events_handle_seconds',
    help: 'Time a consumer took to handle an event (its transaction included)',
    labelNames: ['consumer'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const endToEnd = new Histogram({
    name: 'events_end_to_end_seconds',
    help: 'From the event occurring (its transaction) to a consumer having handled it',
    labelNames: ['consumer'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    registry,
    countRelayed: (count) => relayed.inc(count),
    countRelayFailure: () => relayFailures.inc(),
    setOutboxPending: (count) => pending.set(count),
    countConsumed: (consumer, outcome) => consumed.inc({ consumer, outcome }),
    observeHandled(consumer, seconds, lagSeconds) {
      handleSeconds.observe({ consumer }, seconds);
      // Replayed history (seeded or republished events) would swamp the live latency.
      if (lagSeconds >= 0 && lagSeconds < 3600) endToEnd.observe({ consumer }, lagSeconds);
    },
  };
}
