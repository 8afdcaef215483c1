import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SavedPromotion } from './promotion';
import { writeFileAtomically } from '../../common/src/atomic-write';
import type { ResultsSnapshot } from './shadow';

/**
 * What a restarted proxy takes up: the promotions in progress and the parallel run's
 * results (their counts decide the next step). One JSON file in the data folder,
 * replaced atomically after every promotion check, pause and resume, and at close.
 */
export interface ProxyState {
  version: 1;
  savedAt: number;
  promotions: Record<string, SavedPromotion>;
  shadow: ResultsSnapshot;
}

const count = z.number().int().min(0);
const stateSchema = z.object({
  version: z.literal(1),
  savedAt: z.number(),
  promotions: z.record(
    z.string(),
    z.object({
      percent: z.number().min(0).max(100),
      state: z.enum(['running', 'paused', 'rolled-back', 'done']),
      reason: z.string().optional(),
      updatedAt: z.string().optional(),
      held: z.boolean(),
      requests: count,
      errors: count,
      window: z.object({
        at: z.number(),
        compared: count,
        matched: count,
        requests: count,
        errors: count,
      }),
    }),
  ),
  shadow: z.object({
    routes: z.array(
      z.object({
        route: z.string(),
        compared: count,
        matched: count,
        dropped: z.record(z.string(), count),
        fields: z.record(z.string(), count),
        samples: z.array(z.any()),
      }),
    ),
  }),
});

/** The saved state, or null when there is none; a broken file is set aside (and said so), never half-used. */
export function loadProxyState(file: string, logger: Logger): ProxyState | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let parsed: ReturnType<typeof stateSchema.safeParse> | null = null;
  try {
    parsed = stateSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (parsed?.success) return parsed.data as ProxyState;
  const aside = `${file}.broken-${Date.now()}`;
  fs.renameSync(file, aside);
  logger.warn(
    { stateFile: file, setAside: aside },
    `${file} is not a proxy state file this version can read; it was moved to ${aside} and promotions start new windows`,
  );
  return null;
}

export function saveProxyState(file: string, state: ProxyState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomically(file, `${JSON.stringify(state)}\n`);
}
