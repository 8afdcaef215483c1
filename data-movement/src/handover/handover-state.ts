import type { Knex } from 'knex';
import { ensureCheckpointTable, readCheckpoint, writeCheckpoint } from '../checkpoints';

/** The handover's steps in order; the state records the last one finished. */
export const STEPS = [
  'started',
  'held',
  'drained',
  'verified',
  'sequences',
  'reverse',
  'owner',
  'spec',
  'released',
] as const;
export type Step = (typeof STEPS)[number];

export interface HandoverState {
  from: string;
  to: string;
  step: Step;
  holdId: string | null;
  startedAt: string;
}

const NAME = 'handover';

export const reached = (state: HandoverState, step: Step) =>
  STEPS.indexOf(state.step) >= STEPS.indexOf(step);

/** Kept in the source (monolith-side) database's checkpoint table, which never changes sides. */
export async function readHandover(db: Knex, set: string): Promise<HandoverState | undefined> {
  await ensureCheckpointTable(db);
  const saved = await readCheckpoint(db, set, NAME);
  return saved?.position && !saved.done ? (JSON.parse(saved.position) as HandoverState) : undefined;
}

export async function saveHandover(db: Knex, set: string, state: HandoverState): Promise<void> {
  await writeCheckpoint(db, {
    service: set,
    name: NAME,
    position: JSON.stringify(state),
    done: state.step === 'released',
  });
}
