import type { Knex } from 'knex';
import { Gauge, type Registry } from 'prom-client';
import { engineOf, toNumber } from '../../../common/src/database';
import type { EventHandler } from '../consumer/consumer';
import type { EventEnvelope } from '../envelope';
import type { ProcessDefinition } from './process-file';

const STEPS = 'pm_steps';
const INSTANCES = 'pm_instances';

export interface ProcessSummary {
  name: string;
  description: string;
  start: string;
  steps: readonly string[];
  deadlineSeconds: number;
  started: number;
  completed: number;
  /** Started, not completed, deadline not yet passed. */
  inProgress: number;
  /** Started, not completed, deadline passed: the business process is stuck. */
  overdue: number;
  /** Completed, but after the deadline. */
  completedLate: number;
  /** The oldest overdue instances, to look into. */
  oldestOverdue: { key: string; startedAt: string; missing: string[] }[];
}

function valueAt(event: EventEnvelope, path: string): string | undefined {
  let value: unknown = event;
  for (const part of path.split('.'))
    value = (value as Record<string, unknown> | undefined)?.[part];
  return value === undefined || value === null || typeof value === 'object'
    ? undefined
    : String(value);
}

/**
 * Watches business processes through their events: an instance starts with the process's start
 * event and completes when every step's event has been seen; one still open past its deadline
 * is overdue. Steps may arrive before their start (queues do not keep order across producers).
 *
 * @example const monitor = createProcessMonitor({ db, processes: loadProcessFile('processes.yaml') });
 */
export function createProcessMonitor(options: {
  db: Knex;
  processes: ProcessDefinition[];
  now?: () => number;
}) {
  const { db, processes } = options;
  const now = options.now ?? Date.now;
  const postgres = engineOf(db) === 'postgres';

  async function record(
    trx: Knex.Transaction,
    process: ProcessDefinition,
    key: string,
    step: string,
    at: string,
  ) {
    // One instance's events are handled one at a time: concurrent steps must see each other.
    const id = { process: process.name, instance_key: key };
    await trx(INSTANCES)
      .insert({ ...id, steps_seen: 0 })
      .onConflict(['process', 'instance_key'])
      .ignore();
    if (postgres) await trx(INSTANCES).where(id).forUpdate().first();
    const seen = await trx(STEPS).where({ process: process.name, instance_key: key, step }).first();
    if (!seen)
      await trx(STEPS).insert({ process: process.name, instance_key: key, step, occurred_at: at });
    const rows: { step: string; occurred_at: string }[] = await trx(STEPS)
      .select('step', 'occurred_at')
      .where({ process: process.name, instance_key: key });
    const start = rows.find((row) => row.step === process.start);
    const done = process.steps.every((s) => rows.some((row) => row.step === s));
    const instance = {
      started_at: start?.occurred_at ?? null,
      deadline_at: start
        ? new Date(Date.parse(start.occurred_at) + process.deadlineMs).toISOString()
        : null,
      completed_at:
        start && done
          ? rows
              .map((row) => row.occurred_at)
              .sort()
              .at(-1)!
          : null,
      steps_seen: rows.length,
    };
    await trx(INSTANCES)
      .insert({ process: process.name, instance_key: key, ...instance })
      .onConflict(['process', 'instance_key'])
      .merge(Object.keys(instance));
  }

  /** The consumer's handlers: one per event type any process mentions. */
  function handlers(): Record<string, EventHandler> {
    const types = new Set(processes.flatMap((p) => [p.start, ...p.steps]));
    return Object.fromEntries(
      [...types].map((type) => [
        type,
        {
          async handle(event, { trx, logger }) {
            for (const process of processes) {
              if (process.start !== type && !process.steps.includes(type)) continue;
              const key = valueAt(event, process.key);
              if (key === undefined) {
                logger.warn(
                  { process: process.name, key: process.key },
                  'event has no instance key; ignored',
                );
                continue;
              }
              await record(trx, process, key, type, event.occurredAt);
            }
          },
        } satisfies EventHandler,
      ]),
    );
  }

  async function summarise(process: ProcessDefinition): Promise<ProcessSummary> {
    const at = new Date(now()).toISOString();
    const base = () => db(INSTANCES).where({ process: process.name }).whereNotNull('started_at');
    const [[started], [completed], [overdue], [late]] = await Promise.all([
      base().count({ n: '*' }),
      base().clone().whereNotNull('completed_at').count({ n: '*' }),
      base().clone().whereNull('completed_at').where('deadline_at', '<', at).count({ n: '*' }),
      base()
        .clone()
        .whereNotNull('completed_at')
        .whereRaw('completed_at > deadline_at')
        .count({ n: '*' }),
    ]);
    const oldest = await base()
      .clone()
      .whereNull('completed_at')
      .where('deadline_at', '<', at)
      .orderBy('started_at')
      .limit(5)
      .select('instance_key', 'started_at');
    const seen = oldest.length
      ? await db(STEPS)
          .where({ process: process.name })
          .whereIn(
            'instance_key',
            oldest.map((o) => o.instance_key),
          )
          .select('instance_key', 'step')
      : [];
    const counts = {
      started: toNumber(started?.n),
      completed: toNumber(completed?.n),
      overdue: toNumber(overdue?.n),
    };
    return {
      name: process.name,
      description: process.description,
      start: process.start,
      steps: process.steps,
      deadlineSeconds: process.deadlineMs / 1000,
      ...counts,
      inProgress: counts.started - counts.completed - counts.overdue,
      completedLate: toNumber(late?.n),
      oldestOverdue: oldest.map((o) => ({
        key: o.instance_key,
        startedAt: o.started_at,
        missing: process.steps.filter(
          (step) => !seen.some((s) => s.instance_key === o.instance_key && s.step === step),
        ),
      })),
    };
  }

  return {
    handlers,
    summary: () => Promise.all(processes.map(summarise)),
    /** Gauges read from the database at every scrape. */
    registerMetrics(registry: Registry) {
      new Gauge({
        name: 'business_process_instances',
        help: 'Process instances by state: in_progress, overdue (past deadline, not completed), completed, completed_late',
        labelNames: ['process', 'state'],
        registers: [registry],
        async collect() {
          for (const s of await Promise.all(processes.map(summarise))) {
            this.set({ process: s.name, state: 'in_progress' }, s.inProgress);
            this.set({ process: s.name, state: 'overdue' }, s.overdue);
            this.set({ process: s.name, state: 'completed' }, s.completed);
            this.set({ process: s.name, state: 'completed_late' }, s.completedLate);
          }
        },
      });
    },
  };
}

export type ProcessMonitor = ReturnType<typeof createProcessMonitor>;
