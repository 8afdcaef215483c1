import path from 'node:path';
import { checkDeployGate, type GateDecision } from '../../contracts/src/deploy-gate';
import type { RoutesFile } from './config-schema';
import { ProxyError } from './errors';

/** The contracts file a routes file names (`contracts:`, relative to the routes file), if any. */
export function contractsFileOf(config: RoutesFile, routesFile: string | null): string | null {
  if (!config.contracts) return null;
  return path.resolve(routesFile ? path.dirname(routesFile) : process.cwd(), config.contracts);
}

/**
 * Asks the contracts (contracts/src/deploy-gate.ts) whether `upstream` may take more of a route's
 * traffic. Moving traffic back to the default upstream (the monolith) is never gated.
 */
export function consultContracts(
  config: RoutesFile,
  routesFile: string | null,
  upstream: string,
): GateDecision | null {
  const file = contractsFileOf(config, routesFile);
  if (!file || upstream === config.default.to) return null;
  return checkDeployGate(file, upstream);
}

/** Throws ERR_CONTRACTS_REFUSED when the contracts say no. */
export function assertContractsAllow(
  config: RoutesFile,
  routesFile: string | null,
  route: string,
  upstream: string,
): void {
  const decision = consultContracts(config, routesFile, upstream);
  if (decision && !decision.allowed)
    throw new ProxyError(
      'ERR_CONTRACTS_REFUSED',
      `route "${route}": refusing to send all of its traffic to "${upstream}": ${decision.reason}`,
    );
}
