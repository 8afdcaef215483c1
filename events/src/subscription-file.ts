import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { EventsError } from './errors';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy';
import { isTopicPattern } from './topic-pattern';

/** A consumer's subscription as a human-editable file: what it reads and how it fails. */
export interface SubscriptionSettings {
  readonly name: string;
  readonly topics: readonly string[];
  readonly retry: RetryPolicy;
  readonly prefetch: number;
}

const milliseconds = (example: number) =>
  z
    .number({ error: `expected milliseconds (example: ${example})` })
    .int()
    .min(0)
    .max(24 * 3600 * 1000);

const LIMIT = 'a number of deliveries from 1 to 1000, or unlimited (example: deliveryLimit: 5)';

const schema = z.strictObject({
  name: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{0,99}$/,
      'lower-case letters, digits and dashes (example: reporting-pump)',
    ),
  topics: z
    .array(z.string().refine(isTopicPattern, 'a topic pattern like warehouse.order.* or #'))
    .min(1, 'at least one topic pattern (example: [warehouse.order.*])'),
  retry: z
    .strictObject({
      deliveryLimit: z
        .union([z.literal('unlimited'), z.number().int(LIMIT).min(1, LIMIT).max(1000, LIMIT)], {
          error: LIMIT,
        })
        .default(DEFAULT_RETRY.deliveryLimit),
      firstDelayMs: milliseconds(1000).default(DEFAULT_RETRY.firstDelayMs),
      maxDelayMs: milliseconds(60000).default(DEFAULT_RETRY.maxDelayMs),
    })
    .default(DEFAULT_RETRY),
  prefetch: z.number().int().min(1).max(1000).default(16),
});

/**
 * Reads and validates a subscription file; a problem names the file, the field and the fix.
 *
 * @example loadSubscriptionFile('extracted/reporting-service/subscription.yaml')
 */
export function loadSubscriptionFile(file: string): SubscriptionSettings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new EventsError(
      'ERR_EVENTS_CONFIG',
      `${file}: cannot read it (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new EventsError(
      'ERR_EVENTS_CONFIG',
      `${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EventsError(
      'ERR_EVENTS_CONFIG',
      `${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
    );
  }
  const settings = parsed.data;
  if (settings.retry.maxDelayMs < settings.retry.firstDelayMs)
    throw new EventsError(
      'ERR_EVENTS_CONFIG',
      `${file}: retry.maxDelayMs (${settings.retry.maxDelayMs}) is below retry.firstDelayMs (${settings.retry.firstDelayMs}); raise it`,
    );
  return Object.freeze({
    ...settings,
    retry: Object.freeze(settings.retry),
    topics: Object.freeze(settings.topics),
  });
}
