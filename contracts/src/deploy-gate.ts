import path from 'node:path';
import { canDeploy } from './can-deploy';
import { loadContractsConfig, participantOfUpstream } from './config';

export interface GateDecision {
  allowed: boolean;
  /** Why, in one line: shown by `flip`, in the promotion's reason and in the audit log. */
  reason: string;
  /** Providers whose verification is missing for their current source (a refusal `contracts verify` can lift). */
  unverified: string[];
}

/**
 * The question `flip` to 100 % and `promote: auto` ask before moving a route's traffic to an
 * upstream: would the service behind it break a consumer's contract? Synchronous and read-only
 * (pacts, registry, source fingerprints); any problem reading them is a refusal, never a pass.
 *
 * @example checkDeployGate('contracts/contracts.yaml', 'catalog-service') // { allowed: false, reason: '…' }
 */
export function checkDeployGate(contractsFile: string, upstream: string): GateDecision {
  try {
    const config = loadContractsConfig(path.resolve(contractsFile));
    const participant = participantOfUpstream(config, upstream);
    if (!participant)
      return { allowed: true, reason: `no contract names upstream "${upstream}"`, unverified: [] };
    const answer = canDeploy(config, participant.name);
    const unverified = [
      ...new Set(answer.pacts.filter((p) => p.status === 'unverified').map((p) => p.provider)),
    ];
    if (answer.ok)
      return {
        allowed: true,
        reason: `contracts: ${participant.name} is verified against ${answer.pacts.length} pact(s)`,
        unverified,
      };
    return { allowed: false, reason: `${participant.name}: ${answer.reason}`, unverified };
  } catch (error) {
    return {
      allowed: false,
      reason: `contracts cannot be checked: ${(error as Error).message}`,
      unverified: [],
    };
  }
}
