import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { writeFileAtomically } from '../../common/src/atomic-write';
import { displayPath, loadContractsConfig, type PactSpec } from './config';
import { ContractsError } from './errors';
import { interactionName, type PactDocument, parsePact } from './pact-file';

export interface ConsumerPact {
  /** Add interactions with `pact.addInteraction()…executeTest(…)`, as in any Pact consumer test. */
  pact: PactV4;
  /**
   * After the last interaction: compares the pact the tests wrote with the committed one.
   * Same contract → nothing changes. Different → fails, unless PACT_UPDATE=1 (then it is
   * written, and the provider must be verified again). Missing → written, except under CI.
   */
  settle(): { written: boolean; file: string };
}

/**
 * A consumer test's pact: written to a scratch folder first, so tests never race on the
 * committed file and a changed expectation is a deliberate update, like a snapshot.
 *
 * @example const { pact, settle } = consumerPact('finance-service', 'catalog-service'); afterAll(() => settle());
 */
export function consumerPact(
  consumer: string,
  provider: string,
  options: { contractsFile?: string; env?: NodeJS.ProcessEnv } = {},
): ConsumerPact {
  const config = loadContractsConfig(options.contractsFile);
  const spec = config.pacts.find((p) => p.consumer === consumer && p.provider === provider);
  if (!spec)
    throw new ContractsError(
      'ERR_CONTRACTS_CONFIG',
      `${displayPath(config.file)}: no pact ${consumer} → ${provider} is listed; add { consumer: ${consumer}, provider: ${provider} } under pacts`,
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pact-${consumer}-${provider}-`));
  process.env.PACT_DO_NOT_TRACK ??= 'true';
  const pact = new PactV4({ consumer, provider, dir, logLevel: 'error' });
  return {
    pact,
    settle() {
      try {
        const written = path.join(dir, path.basename(spec.file));
        return settlePact(spec, fs.readFileSync(written, 'utf8'), options.env ?? process.env);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Compares a freshly written pact with the committed one (see ConsumerPact.settle). */
export function settlePact(
  spec: PactSpec,
  freshText: string,
  env: NodeJS.ProcessEnv,
): { written: boolean; file: string } {
  const fresh = parsePact(freshText, spec.file);
  const committed = fs.existsSync(spec.file)
    ? parsePact(fs.readFileSync(spec.file, 'utf8'), spec.file)
    : undefined;
  const shown = displayPath(spec.file);
  if (committed?.digest === fresh.digest) return { written: false, file: spec.file };
  const update = env.PACT_UPDATE === '1' || env.PACT_UPDATE === 'true';
  if (!committed && env.CI === 'true' && !update)
    throw new ContractsError(
      'ERR_PACT_MISSING',
      `${shown}: the pact ${spec.consumer} → ${spec.provider} is not committed; run PACT_UPDATE=1 npx jest --selectProjects contracts locally and commit it`,
    );
  if (committed && !update)
    throw new ContractsError(
      'ERR_PACT_OUT_OF_DATE',
      `${shown}: ${spec.consumer}'s expectations of ${spec.provider} changed (${describeChange(committed, fresh)}). If that is intended, run PACT_UPDATE=1 npx jest --selectProjects contracts, commit the pact, and run npx strangler contracts verify ${spec.provider} before deploying ${spec.consumer}`,
    );
  fs.mkdirSync(path.dirname(spec.file), { recursive: true });
  writeFileAtomically(spec.file, `${JSON.stringify(fresh.raw, null, 2)}\n`);
  return { written: true, file: spec.file };
}

function describeChange(before: PactDocument, after: PactDocument): string {
  const key = (pact: PactDocument) =>
    new Map(pact.interactions.map((i) => [interactionName(i), JSON.stringify(i)]));
  const old = key(before);
  const next = key(after);
  const added = [...next.keys()].filter((k) => !old.has(k));
  const removed = [...old.keys()].filter((k) => !next.has(k));
  const changed = [...next.keys()].filter((k) => old.has(k) && old.get(k) !== next.get(k));
  const parts = [
    ...added.map((k) => `added "${k}"`),
    ...removed.map((k) => `removed "${k}"`),
    ...changed.map((k) => `changed "${k}"`),
  ];
  return parts.join('; ') || 'the order of interactions';
}
