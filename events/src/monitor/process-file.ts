import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { EventsError } from '../errors';

/** A business process as events: one starts an instance, the others must all follow in time. */
export interface ProcessDefinition {
  readonly name: string;
  readonly description: string;
  readonly start: string;
  readonly steps: readonly string[];
  /** Dotted path into the event to the value that ties one instance's events together. */
  readonly key: string;
  readonly deadlineMs: number;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const eventType = z
  .string()
  .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'an event type like warehouse.order.placed');

const schema = z.strictObject({
  processes: z
    .array(
      z.strictObject({
        name: z
          .string()
          .regex(
            /^[a-z][a-z0-9-]{0,99}$/,
            'lower-case letters, digits and dashes (example: order-fulfilment)',
          ),
        description: z.string().default(''),
        start: eventType,
        steps: z
          .array(eventType)
          .min(1, 'at least one step after the start (example: [finance.payment.booked])'),
        key: z
          .string()
          .regex(
            /^[A-Za-z][\w]*(\.[A-Za-z][\w]*)*$/,
            'a dotted path like data.orderId or entity.id',
          )
          .default('entity.id'),
        deadline: z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration like 30s, 5m or 2h'),
      }),
    )
    .min(1, 'at least one process'),
});

/**
 * Reads the processes a monitor watches; a problem names the file, the field and the fix.
 *
 * @example loadProcessFile('legacy-monolith/processes.yaml')
 */
export function loadProcessFile(file: string): ProcessDefinition[] {
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new EventsError(
      'ERR_EVENTS_CONFIG',
      `${file}: cannot read it as YAML (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EventsError(
      'ERR_EVENTS_CONFIG',
      `${file}: ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  const names = new Set<string>();
  return parsed.data.processes.map((p, index) => {
    if (names.has(p.name))
      throw new EventsError(
        'ERR_EVENTS_CONFIG',
        `${file}: processes.${index}.name: "${p.name}" is defined twice`,
      );
    names.add(p.name);
    const [, amount, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(p.deadline)!;
    return Object.freeze({
      name: p.name,
      description: p.description,
      start: p.start,
      steps: Object.freeze([...p.steps]),
      key: p.key,
      deadlineMs: Number(amount) * UNITS[unit],
    });
  });
}
