import { z } from 'zod';
import { type DatabaseTarget, parseDatabaseUrl, redactUrl } from '../../common/src/database';
import { EventsError } from './errors';

export type BrokerTarget =
  | { kind: 'embedded'; database: DatabaseTarget }
  | { kind: 'rabbitmq'; url: string; exchange: string };

export const DEFAULT_EXCHANGE = 'strangler.events';

/**
 * Picks the broker from a URL: `amqp://…` → RabbitMQ; `postgres://…` or `sqlite:<file>` → the
 * embedded broker in that database; unset → the embedded broker in data/event-broker.sqlite.
 *
 * @example parseBrokerUrl('amqp://guest:guest@127.0.0.1:5672')
 */
export function parseBrokerUrl(url: string | undefined, exchange = DEFAULT_EXCHANGE): BrokerTarget {
  if (url && /^amqps?:\/\//i.test(url)) return { kind: 'rabbitmq', url, exchange };
  try {
    return { kind: 'embedded', database: parseDatabaseUrl(url, 'event-broker') };
  } catch {
    throw new EventsError(
      'ERR_EVENTS_CONFIG',
      `EVENTS_BROKER_URL "${redactUrl(url ?? '')}" is not a broker: use amqp://user:pass@host:5672 for RabbitMQ, postgres://… or sqlite:<file> for the embedded broker, or leave it unset for data/event-broker.sqlite`,
    );
  }
}

export function describeBroker(target: BrokerTarget): string {
  return target.kind === 'rabbitmq'
    ? `RabbitMQ at ${redactUrl(target.url)} (exchange ${target.exchange})`
    : `embedded broker in ${target.database.engine === 'postgres' ? redactUrl(target.database.location) : target.database.location}`;
}

const EXCHANGE = /^[A-Za-z0-9._-]{1,200}$/;

const environmentSchema = z.object({
  EVENTS_BROKER_URL: z.string().optional(),
  EVENTS_EXCHANGE: z
    .string()
    .regex(
      EXCHANGE,
      'letters, digits, dot, dash, underscore (example: EVENTS_EXCHANGE=musiccorp.events)',
    )
    .default(DEFAULT_EXCHANGE),
  EVENTS_PAUSED_CONSUMERS: z.string().default(''),
});

export interface EventsEnvironment {
  readonly broker: BrokerTarget;
  /** Whether EVENTS_BROKER_URL was set (publishers relay only then). */
  readonly brokerConfigured: boolean;
  /** Consumers this process must not run (EVENTS_PAUSED_CONSUMERS=welcome-email,postal): a consumer "down". */
  readonly pausedConsumers: ReadonlySet<string>;
}

/** Reads the events environment: the only place it is read. */
export function loadEventsEnvironment(env: NodeJS.ProcessEnv = process.env): EventsEnvironment {
  const parsed = environmentSchema.safeParse({
    EVENTS_BROKER_URL: env.EVENTS_BROKER_URL || undefined,
    EVENTS_EXCHANGE: env.EVENTS_EXCHANGE || undefined,
    EVENTS_PAUSED_CONSUMERS: env.EVENTS_PAUSED_CONSUMERS || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EventsError('ERR_EVENTS_CONFIG', `${issue.path.join('.')}: ${issue.message}`);
  }
  const paused = parsed.data.EVENTS_PAUSED_CONSUMERS.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return Object.freeze({
    broker: Object.freeze(
      parseBrokerUrl(parsed.data.EVENTS_BROKER_URL, parsed.data.EVENTS_EXCHANGE),
    ),
    brokerConfigured: Boolean(parsed.data.EVENTS_BROKER_URL),
    pausedConsumers: new Set(paused),
  });
}
