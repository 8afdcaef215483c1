import path from 'node:path';
import { canDeploy } from './can-deploy';
import { loadContractsConfig, participantOfUpstream } from './config';

export interface GateDecision {
  allowed: boolean;
  /** Why, in one line: shown by `flip`, in the promotion's reason and in the audit log. */
  reason: string;
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
    if (!participant) return { allowed: true, reason: `no contract names upstream "${upstream}"` };
    const answer = canDeploy(config, participant.name);
    if (answer.ok)
      return {
        allowed: true,
        reason: `contracts: ${participant.name} verified against ${answer.pacts.length} pact(s)`,
      };
    return { allowed: false, reason: `${participant.name}: ${answer.reason}` };
  } catch (error) {
    return { allowed: false, reason: `contracts cannot be checked: ${(error as Error).message}` };
  }
}
