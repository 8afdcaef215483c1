import { createLogger } from '../../common/src/logger';
import { migrateLatest } from '../../common/src/migrate';
import type { Engine } from '../../common/src/database';
import { loadConfig } from '../../legacy-monolith/src/config';
import { startMonolith } from '../../legacy-monolith/src/main';
import { seedDatabase } from '../../legacy-monolith/seed/seed-database';
import { createTemporaryDatabase, type TemporaryDatabase } from '../support/engines';
import { startAfterStack } from './stack-after';

export type Mode = 'before' | 'after' | 'after-canary' | 'after-nginx';

export interface RunningStack {
  url: string;
  describe: string;
  /** After the suite: proves the stack did what its mode promises (e.g. a canary really split); throws if not. */
  verify?(): Promise<string>;
  stop(): Promise<void>;
}

/** Scale of the freshly seeded database every mode starts from: 50 albums, 200 orders. */
export const SUITE_SCALE = 0.05;

async function seededMonolithDatabase(engine: Engine): Promise<TemporaryDatabase> {
  const temp = await createTemporaryDatabase(engine, 'before-after');
  const db = temp.open();
  try {
    await migrateLatest(db, 'legacy-monolith');
    await seedDatabase(db, { scale: SUITE_SCALE, progress: false });
  } finally {
    await db.destroy();
  }
  return temp;
}

/** `before`: the monolith alone, on a freshly seeded database. */
export async function startBeforeStack(engine: Engine): Promise<RunningStack> {
  const temp = await seededMonolithDatabase(engine);
  const monolith = await startMonolith(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: temp.url, LOG_LEVEL: 'silent' }),
    { logger: createLogger('legacy-monolith', { level: 'silent' }) },
  );
  return {
    url: monolith.url,
    describe: `monolith alone at ${monolith.url} on ${engine}`,
    async stop() {
      await monolith.close();
      await temp.cleanup();
    },
  };
}

export async function startStack(mode: Mode, engine: Engine): Promise<RunningStack> {
  if (mode === 'before') return startBeforeStack(engine);
  const monolithDb = await seededMonolithDatabase(engine);
  return startAfterStack(engine, monolithDb, {
    catalogPercent: mode === 'after-canary' ? 50 : 100,
    dataPlane: mode === 'after-nginx' ? 'nginx' : 'node',
  });
}
