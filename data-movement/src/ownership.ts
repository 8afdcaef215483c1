import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DataMovementError } from './errors';
import { type DataSet, type Side, sideOf } from './spec/load-spec';

const shown = (file: string) => path.relative(process.cwd(), file) || file;

/** The owner the routes file gives a data set (`dataSets: { <set>: { owner } }`), if it names one. */
export function readRoutesOwner(routesFile: string, set: string): string | undefined {
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(routesFile, 'utf8'));
  } catch (error) {
    throw new DataMovementError(
      'ERR_DATA_SPEC',
      `${shown(routesFile)}: cannot read the routes file the data-movement spec names (${(error as Error).message.split('\n')[0]}); fix "routes:" in the spec or pass --routes <file>`,
    );
  }
  const owner = (raw as { dataSets?: Record<string, { owner?: unknown }> } | null)?.dataSets?.[set]
    ?.owner;
  return typeof owner === 'string' ? owner : undefined;
}

export interface Ownership {
  owner: string;
  side: Side;
}

/**
 * Who owns the data set now. The routes file is the run-time truth (the proxy
 * enforces it); the spec must agree with it, or a handover stopped half-way.
 */
export function resolveOwner(set: DataSet, routesFile = set.routesFile): Ownership {
  const routed = routesFile ? readRoutesOwner(routesFile, set.name) : undefined;
  if (routed !== undefined && routed !== set.owner)
    throw new DataMovementError(
      'ERR_DATA_OWNER_DISAGREES',
      `${shown(set.specFile)} says data set "${set.name}" is owned by ${set.owner}, but ${shown(routesFile!)} (which the proxy enforces) says ${routed}: a handover did not finish. Re-run \`strangler data handover ${set.name} --to ${routed}\` to finish it (it resumes where it stopped), or \`--to ${set.owner}\` to hand it back.`,
    );
  const owner = routed ?? set.owner;
  return { owner, side: sideOf(set, owner) };
}
