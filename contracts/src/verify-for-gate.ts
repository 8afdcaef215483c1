import path from 'node:path';
import { loadContractsConfig } from './config';
import { checkDeployGate } from './deploy-gate';
import { verifyProvider } from './verify';

/**
 * For CLIs about to ask the gate: verifies the providers whose results are missing for their
 * current source (a fresh checkout, an edited service), so the gate answers on evidence.
 * Failing results are recorded too; the gate then refuses with them.
 */
export async function verifyWhatTheGateLacks(
  contractsFile: string,
  upstream: string,
  onProgress: (line: string) => void,
): Promise<void> {
  const { unverified } = checkDeployGate(contractsFile, upstream);
  if (unverified.length === 0) return;
  const config = loadContractsConfig(path.resolve(contractsFile));
  for (const provider of unverified) {
    onProgress(`contracts: ${provider} is not verified at its current source; verifying it now`);
    await verifyProvider(config, provider, { onProgress });
  }
}
