import path from 'node:path';
import { DATA_DIR } from '../common/src/database';
import { projectPath } from '../common/src/project-root';
import { openBroker } from '../events/src/broker/open-broker';
import { loadEventsEnvironment } from '../events/src/config';
import { MONITOR_CONSUMER } from '../events/src/monitor/main';
import { loadProcessFile } from '../events/src/monitor/process-file';
import { DEFAULT_RETRY } from '../events/src/retry-policy';
import { loadSubscriptionFile } from '../events/src/subscription-file';
import { DEFAULT_SUBSCRIPTION_FILE } from '../extracted/reporting-service/src/config';
import type { StackMember } from './stack-supervisor';

const PROCESSES_FILE = projectPath('legacy-monolith', 'processes.yaml');

export interface EventPorts {
  reporting: number;
  monitor: number;
}

/** STRANGLER_EVENTS_PORTS=reporting,monitor moves the event-driven members (default 4003,4004). */
export function readEventPorts(value = process.env.STRANGLER_EVENTS_PORTS): EventPorts {
  if (!value) return { reporting: 4003, monitor: 4004 };
  const numbers = value.split(',').map(Number);
  if (numbers.length !== 2 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 65535))
    throw new Error(
      `STRANGLER_EVENTS_PORTS must be two ports: reporting,monitor (got "${value}"), e.g. 4003,4004`,
    );
  return { reporting: numbers[0], monitor: numbers[1] };
}

/** The broker every member of the demo uses: EVENTS_BROKER_URL, else the embedded one under data/. */
export function demoBrokerEnv(): Record<string, string> {
  return {
    EVENTS_BROKER_URL:
      process.env.EVENTS_BROKER_URL || `sqlite:${path.join(DATA_DIR, 'event-broker.sqlite')}`,
  };
}

/** The reporting service (its pump) and the business-process monitor. */
export function eventMembers(ports = readEventPorts()): StackMember[] {
  const at = (port: number) => `http://127.0.0.1:${port}`;
  return [
    {
      name: 'reporting-service',
      script: 'extracted/reporting-service/src/main.ts',
      env: { REPORTING_PORT: String(ports.reporting), ...demoBrokerEnv() },
      url: at(ports.reporting),
      healthUrl: `${at(ports.reporting)}/health`,
      notes: [`reports       ${at(ports.reporting)}/reports/revenue-by-country (fed by events)`],
    },
    {
      name: 'process-monitor',
      script: 'events/src/monitor/main.ts',
      env: {
        MONITOR_PORT: String(ports.monitor),
        MONITOR_PROCESSES_FILE: PROCESSES_FILE,
        ...demoBrokerEnv(),
      },
      url: at(ports.monitor),
      healthUrl: `${at(ports.monitor)}/health`,
      notes: [
        `processes     ${at(ports.monitor)}/processes, ${at(ports.monitor)}/metrics`,
        'dead letters  npx strangler events dlq list',
      ],
    },
  ];
}

/**
 * Declares the demo's durable subscriptions before anything publishes, so the monolith's relay
 * never publishes the seeded history to a broker with no queue for it yet.
 */
export async function declareDemoSubscriptions(): Promise<void> {
  const broker = await openBroker(
    loadEventsEnvironment({ ...process.env, ...demoBrokerEnv() }).broker,
  );
  try {
    const pump = loadSubscriptionFile(DEFAULT_SUBSCRIPTION_FILE);
    await broker.declare({ ...pump, topics: [...pump.topics] });
    const processes = loadProcessFile(PROCESSES_FILE);
    await broker.declare({
      name: MONITOR_CONSUMER,
      topics: [...new Set(processes.flatMap((p) => [p.start, ...p.steps]))],
      retry: DEFAULT_RETRY,
      prefetch: 16,
    });
  } finally {
    await broker.close();
  }
}
