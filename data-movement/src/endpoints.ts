import type { Knex } from 'knex';
import { type DatabaseTarget, openDatabase, parseDatabaseUrl } from '../../common/src/database';
import { migrateLatest } from '../../common/src/migrate';
import type { ServiceSpec } from './service-tables';

export interface Endpoints {
  source: Knex;
  target: Knex;
  sourceTarget: DatabaseTarget;
  targetTarget: DatabaseTarget;
  close(): Promise<void>;
}

export interface EndpointUrls {
  source?: string;
  target?: string;
}

/** Source = DATABASE_URL (the monolith); target = the service's own variable. Flags win over the environment. */
export function resolveTargets(
  spec: ServiceSpec,
  urls: EndpointUrls,
  env: NodeJS.ProcessEnv = process.env,
) {
  return {
    source: parseDatabaseUrl(urls.source ?? env.DATABASE_URL, 'monolith'),
    target: parseDatabaseUrl(urls.target ?? env[spec.targetEnv], spec.component),
  };
}

/** Opens both databases and brings the target's schema up to date (its own migrations). */
export async function openEndpoints(
  spec: ServiceSpec,
  urls: EndpointUrls = {},
): Promise<Endpoints> {
  const { source: sourceTarget, target: targetTarget } = resolveTargets(spec, urls);
  const source = openDatabase(sourceTarget, { pool: 2 });
  const target = openDatabase(targetTarget, { pool: 2 });
  await migrateLatest(target, spec.component);
  return {
    source,
    target,
    sourceTarget,
    targetTarget,
    async close() {
      await Promise.all([source.destroy(), target.destroy()]);
    },
  };
}
