import { writeCheckpoint } from '../checkpoints';
import { installFlowCapture } from '../backfill';
import { type OpenDataSet, orient } from '../endpoints';
import { DataMovementError } from '../errors';
import { crashPoint } from '../failpoints';
import { formatVerify } from '../report';
import { maxKey, moveSequencePast } from '../sequences';
import { sideOf } from '../spec/load-spec';
import { writeSpecOwner } from '../spec/write-owner';
import { findConflicts, positionAtEnd, SYNC_CHECKPOINT, syncFlow } from '../sync';
import { verifyFlow } from '../verify';
import { type HandoverState, readHandover, type Step, saveHandover } from './handover-state';
import type { ProxyAdmin } from './proxy-admin';

export interface HandoverOptions {
  to: string;
  admin: ProxyAdmin;
  /** How long the proxy may hold the writes, and how many (past either: 503 + Retry-After). */
  holdMs?: number;
  maxQueued?: number;
  batchSize?: number;
  /** One line per step, with its time. */
  log?: (line: string) => void;
}

export interface HandoverResult {
  from: string;
  to: string;
  /** false: the set already belonged to `to`. */
  moved: boolean;
  steps: { step: Step; ms: number }[];
  heldMs: number;
}

const MAX_HOLD_ATTEMPTS = 3;

/**
 * Moves a data set's writes to another owner with the stack serving: hold the
 * set's writes at the proxy, drain the sync, verify, move the new owner's id
 * sequences past the old owner's, start the reverse sync, change the owner at
 * the proxy (the routes file says who owns what), record it in the spec,
 * release the held writes. Each step is recorded; a re-run resumes (after the
 * owner change) or starts again from a new hold (before it).
 */
export async function handover(
  open: OpenDataSet,
  options: HandoverOptions,
): Promise<HandoverResult> {
  const { set } = open;
  const { admin } = options;
  const log = options.log ?? (() => undefined);
  const steps: HandoverResult['steps'] = [];
  const toSide = sideOf(set, options.to);
  const proxied = await admin.describe(set.name);
  let state = await readHandover(open.source, set.name);
  if (state && state.to !== options.to) {
    if (proxied.owner === state.to)
      throw new DataMovementError(
        'ERR_DATA_HANDOVER',
        `a handover of ${set.name} to ${state.to} already changed the owner at the proxy: finish it with \`strangler data handover ${set.name} --to ${state.to}\`, then hand it back`,
      );
    log(`rolling back the unfinished handover to ${state.to}: ${proxied.owner} stays the owner`);
    if (state.holdId) await admin.release(set.name, state.holdId);
    await saveHandover(open.source, set.name, { ...state, step: 'released' });
    state = undefined;
  }
  if (!state) {
    if (proxied.owner === options.to && set.owner === options.to) {
      log(`${set.name} is already owned by ${options.to}; nothing to do`);
      return { from: options.to, to: options.to, moved: false, steps, heldMs: 0 };
    }
    sideOf(set, proxied.owner);
    state = {
      from: proxied.owner === options.to ? set.owner : proxied.owner,
      to: options.to,
      step: 'started',
      holdId: null,
      startedAt: new Date().toISOString(),
    };
    await saveHandover(open.source, set.name, state);
  } else {
    log(`resuming the handover of ${set.name} to ${state.to} after step "${state.step}"`);
  }
  const current: HandoverState = state;
  const fromSide = sideOf(set, current.from);
  const forward = orient(open, fromSide.role);
  const reverse = orient(open, toSide.role);
  let heldSince = 0;

  const record = async (step: Step, started: number, detail = '') => {
    current.step = step;
    await saveHandover(open.source, set.name, current);
    const ms = Date.now() - started;
    steps.push({ step, ms });
    log(`  ${step.padEnd(10)} ${String(ms).padStart(6)} ms${detail ? `  ${detail}` : ''}`);
    crashPoint(`handover:${step}`);
  };
  const releaseAndRefuse = async (error: DataMovementError) => {
    if (current.holdId) await admin.release(set.name, current.holdId);
    await saveHandover(open.source, set.name, { ...current, step: 'released' });
    throw error;
  };

  log(`handover ${set.name}: ${current.from} → ${current.to}`);
  // Owner not changed yet: (re)do everything from a hold. Drain and verify are idempotent.
  if (proxied.owner !== current.to) {
    let t = Date.now();
    const caughtUp = await syncFlow(forward.endpoints, forward.flow, {
      batchSize: options.batchSize,
    });
    await record('started', t, `caught up before holding (${caughtUp.applied} changes)`);
    for (let attempt = 1; ; attempt += 1) {
      t = Date.now();
      const alive = await admin.describe(set.name);
      if (!current.holdId || alive.hold?.holdId !== current.holdId) {
        const { holdId } = await admin.hold(set.name, {
          maxMs: options.holdMs ?? 10_000,
          maxQueued: options.maxQueued ?? 10_000,
        });
        current.holdId = holdId;
      }
      heldSince = Date.now();
      await record(
        'held',
        t,
        `writes of ${set.name} are queued at the proxy (hold ${current.holdId})`,
      );

      t = Date.now();
      let drained = 0;
      for (;;) {
        let result: Awaited<ReturnType<typeof syncFlow>>;
        try {
          result = await syncFlow(forward.endpoints, forward.flow, {
            batchSize: options.batchSize,
          });
        } catch (error) {
          if (error instanceof DataMovementError) await releaseAndRefuse(error);
          throw error;
        }
        drained += result.applied;
        if (result.pending === 0) break;
      }
      await record('drained', t, `${drained} changes applied, lag 0`);

      t = Date.now();
      const verdicts = await verifyFlow(forward.endpoints, forward.flow);
      const conflicts = await findConflicts(forward.endpoints, forward.flow);
      if (!verdicts.every((v) => v.equal) || conflicts.length > 0)
        await releaseAndRefuse(
          new DataMovementError(
            'ERR_DATA_VERIFY_FAILED',
            `handover ${set.name} refused: the two sides differ, nothing was changed and the writes were released to ${current.from}:\n${formatVerify(set.name, verdicts, conflicts, `${current.from} / ${current.to}`)}\nFind out why with \`strangler data verify ${set.name}\`, fix it (\`strangler data sync ${set.name}\`), then re-run the handover.`,
          ),
        );
      const rows = verdicts.reduce((sum, v) => sum + v.sourceRows, 0);
      await record('verified', t, `${verdicts.length} tables, ${rows} rows identical`);

      t = Date.now();
      const moved: string[] = [];
      for (const table of forward.flow.tables) {
        const top = await maxKey(forward.endpoints.source, table.from);
        const next = await moveSequencePast(forward.endpoints.target, table.to, top);
        if (next !== null) moved.push(`${table.to.name} → ${next}`);
      }
      await record(
        'sequences',
        t,
        moved.length ? `next ids: ${moved.join(', ')}` : 'no integer keys',
      );

      t = Date.now();
      await installFlowCapture(reverse.endpoints, reverse.flow);
      await writeCheckpoint(reverse.endpoints.target, {
        service: set.name,
        name: SYNC_CHECKPOINT,
        position: JSON.stringify(
          await positionAtEnd(reverse.endpoints.source, reverse.endpoints.target),
        ),
        done: false,
      });
      await record('reverse', t, `sync ${current.to} → ${current.from} starts here`);

      t = Date.now();
      const changed = await admin.setOwner(set.name, current.to, current.holdId!);
      if (changed.ok) {
        await record('owner', t, `the proxy sends the writes of ${set.name} to ${current.to}`);
        break;
      }
      // Still our hold: the proxy refused for another reason (e.g. the new owner is down).
      if ((await admin.describe(set.name)).hold?.holdId === current.holdId)
        await releaseAndRefuse(
          new DataMovementError(
            'ERR_DATA_PROXY_REFUSED',
            `handover ${set.name}: the proxy refused to make ${current.to} the owner: ${changed.reason}. The writes were released to ${current.from}; fix that and re-run the handover.`,
          ),
        );
      if (attempt >= MAX_HOLD_ATTEMPTS)
        await releaseAndRefuse(
          new DataMovementError(
            'ERR_DATA_HANDOVER',
            `handover ${set.name}: the hold expired ${attempt} times before the owner could change (the steps above show which one is slow): re-run with a longer --hold-ms`,
          ),
        );
      log(
        `  the hold expired before the owner change (held writes were answered 503); taking a new hold`,
      );
      current.holdId = null;
    }
  } else {
    log(`  owner    already ${current.to} at the proxy`);
  }

  let t = Date.now();
  writeSpecOwner(set.specFile, set.name, current.to);
  await record('spec', t, `${set.specFile} says owner: ${current.to}`);

  t = Date.now();
  const released = current.holdId ? await admin.release(set.name, current.holdId) : false;
  const heldMs = heldSince ? Date.now() - heldSince : 0;
  await record(
    'released',
    t,
    released
      ? `held writes forwarded to ${current.to}; writes were held ${heldMs} ms`
      : 'no hold left to release',
  );
  return { from: current.from, to: current.to, moved: true, steps, heldMs };
}
