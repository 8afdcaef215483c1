import { type ContractsConfig, displayPath, requireParticipant } from './config';
import { shortDigest, sourceFingerprint } from './fingerprint';
import { readPact } from './pact-file';
import { findResult, readResults } from './registry';

export type PactStatus = 'verified' | 'failed' | 'unverified';

export interface PactAnswer {
  consumer: string;
  provider: string;
  file: string;
  status: PactStatus;
  interactions: number;
  /** Interactions that fail, with the verifier's problems (status failed). */
  failing: { interaction: string; problems: string[] }[];
  verifiedAt?: string;
  providerVersion?: string;
}

export interface CanDeployAnswer {
  service: string;
  ok: boolean;
  /** The service's source fingerprint now: what "this version" means. */
  source: string;
  /** Pacts of its consumers with it, then its own pacts with its providers. */
  pacts: PactAnswer[];
  /** One line for a refusal (empty when ok): what breaks and what to run. */
  reason: string;
}

/**
 * Can `service`, as its source stands now, be deployed? Yes when every pact its consumers hold
 * with it was verified against this exact source and passed, and every pact it holds with its
 * providers was verified against their current source and passed. Reads the pacts and the
 * registry only: it never starts a service (run `contracts verify` for that).
 *
 * @example canDeploy(loadContractsConfig(), 'catalog-service').ok
 */
export function canDeploy(
  config: ContractsConfig,
  service: string,
  options: { registryFolder?: string } = {},
): CanDeployAnswer {
  const participant = requireParticipant(config, service);
  const registry = options.registryFolder ?? config.registryFolder;
  const fingerprints = new Map<string, string>();
  const fingerprintOf = (name: string) => {
    if (!fingerprints.has(name))
      fingerprints.set(name, sourceFingerprint(config, requireParticipant(config, name)));
    return fingerprints.get(name)!;
  };
  const involved = config.pacts.filter((p) => p.provider === service || p.consumer === service);
  const pacts = involved
    .sort((a, b) => Number(a.provider !== service) - Number(b.provider !== service))
    .map((spec): PactAnswer => {
      const pact = readPact(spec);
      const result = findResult(
        readResults(registry, spec.provider),
        spec.consumer,
        pact.digest,
        fingerprintOf(spec.provider),
      );
      const base = {
        consumer: spec.consumer,
        provider: spec.provider,
        file: spec.file,
        interactions: pact.interactions.length,
      };
      if (!result) return { ...base, status: 'unverified', failing: [] };
      return {
        ...base,
        status: result.ok ? 'verified' : 'failed',
        failing: result.interactions
          .filter((i) => !i.ok)
          .map((i) => ({ interaction: i.interaction, problems: i.problems })),
        verifiedAt: result.verifiedAt,
        providerVersion: result.providerVersion,
      };
    });
  const ok = pacts.every((p) => p.status === 'verified');
  return {
    service,
    ok,
    source: fingerprintOf(participant.name),
    pacts,
    reason: ok ? '' : refusalOf(service, pacts),
  };
}

function refusalOf(service: string, pacts: PactAnswer[]): string {
  const failed = pacts.filter((p) => p.status === 'failed');
  if (failed.length > 0) {
    const what = failed.map(
      (p) =>
        `${p.consumer} → ${p.provider}: ${p.failing.map((f) => `"${f.interaction}"`).join(', ')}`,
    );
    return `contracts would break: ${what.join('; ')} (npx strangler contracts can-deploy ${service} shows why)`;
  }
  const unverified = pacts.filter((p) => p.status === 'unverified');
  const providers = [...new Set(unverified.map((p) => p.provider))];
  return `not verified at the current source: ${unverified.map((p) => `${p.consumer} → ${p.provider}`).join(', ')}; run ${providers.map((p) => `npx strangler contracts verify ${p}`).join(' and ')}`;
}

/** The answer as the CLI prints it. */
export function formatCanDeploy(answer: CanDeployAnswer): string {
  const lines = [
    `can-deploy ${answer.service} (source ${shortDigest(answer.source)}): ${answer.ok ? 'yes' : 'no'}`,
  ];
  if (answer.pacts.length === 0) lines.push('  no pact names it: nothing can break');
  for (const pact of answer.pacts) {
    const pair = `${pact.consumer} → ${pact.provider}`;
    const when = pact.verifiedAt
      ? ` (${pact.provider} ${pact.providerVersion}, verified ${pact.verifiedAt})`
      : '';
    if (pact.status === 'verified')
      lines.push(`  ✓ ${pair}: ${pact.interactions} interaction(s) pass${when}`);
    else if (pact.status === 'unverified')
      lines.push(
        `  ? ${pair}: not verified against the current source of ${pact.provider}; run npx strangler contracts verify ${pact.provider}`,
      );
    else {
      lines.push(
        `  ✗ ${pair}: ${pact.failing.length} of ${pact.interactions} interaction(s) would break${when}  [${displayPath(pact.file)}]`,
      );
      for (const failing of pact.failing) {
        lines.push(`      ✗ ${failing.interaction}`);
        for (const problem of failing.problems) lines.push(`          ${problem}`);
      }
    }
  }
  if (!answer.ok) lines.push(`  reason: ${answer.reason}`);
  return lines.join('\n');
}
