import type { Command } from 'commander';
import { EXIT, runAction, UsageError } from '../../../common/src/cli';
import { openDataSet } from '../endpoints';
import { DEFAULT_SPEC_FILE, findDataSet, loadSpec, sideOf } from '../spec/load-spec';
import { handover } from './handover';
import { adminUrlFrom, createProxyAdmin } from './proxy-admin';

interface HandoverFlags {
  to?: string;
  spec?: string;
  source?: string;
  target?: string;
  adminUrl?: string;
  holdMs: string;
  maxQueued: string;
  batchSize?: string;
}

function positive(name: string, raw: string): number {
  if (!/^[1-9][0-9]*$/.test(raw))
    throw new UsageError(`--${name} must be a positive integer (example: --${name} 5000)`);
  return Number(raw);
}

/** `strangler data handover <set> --to <upstream>`: move a data set's writes, online. */
export function registerHandoverCommand(data: Command): void {
  data
    .command('handover <set>')
    .description(
      'move the writes of a data set to another owner with the stack serving (hold, drain, verify, sequences, reverse sync, owner, release); re-run to resume',
    )
    .option('--to <upstream>', 'the new owner: the service (e.g. catalog-service) or monolith')
    .option(
      '--spec <file>',
      'data-movement spec (default: data-movement.yaml at the repository root)',
    )
    .option('--source <url>', "the spec's source database")
    .option('--target <url>', "the spec's target database")
    .option(
      '--admin-url <url>',
      "the proxy's admin API (default: STRANGLER_ADMIN_URL or http://127.0.0.1:8081); token: STRANGLER_ADMIN_TOKEN",
    )
    .option('--hold-ms <ms>', 'longest time the proxy holds the writes', '10000')
    .option('--max-queued <n>', 'most writes the proxy queues (beyond: 503 + Retry-After)', '10000')
    .option('--batch-size <n>', 'changes per sync batch while draining')
    .action(
      runAction(async (name: string, flags: HandoverFlags) => {
        if (!flags.to)
          throw new UsageError(
            `say who takes the writes: strangler data handover ${name} --to <upstream> (the service, or monolith to hand back)`,
          );
        const set = findDataSet(loadSpec(flags.spec ?? DEFAULT_SPEC_FILE), name);
        sideOf(set, flags.to);
        const admin = createProxyAdmin(
          adminUrlFrom(flags.adminUrl),
          process.env.STRANGLER_ADMIN_TOKEN,
        );
        const holdMs = positive('hold-ms', flags.holdMs);
        const maxQueued = positive('max-queued', flags.maxQueued);
        const batchSize = flags.batchSize ? positive('batch-size', flags.batchSize) : undefined;
        const open = await openDataSet(set, flags);
        const started = Date.now();
        try {
          const result = await handover(open, {
            to: flags.to,
            admin,
            holdMs,
            maxQueued,
            batchSize,
            log: (line) => process.stdout.write(`${line}\n`),
          });
          if (result.moved)
            process.stdout.write(
              `handover ${name}: ${result.from} → ${result.to} done in ${Date.now() - started} ms (writes held ${result.heldMs} ms); sync now runs ${result.to} → ${result.from}\n`,
            );
          return EXIT.ok;
        } finally {
          await open.close();
        }
      }),
    );
}
