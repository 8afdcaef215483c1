import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../../common/src/atomic-write';
import { displayPath } from './config';
import { ContractsError } from './errors';

const interactionResultSchema = z.strictObject({
  interaction: z.string(),
  ok: z.boolean(),
  problems: z.array(z.string()).default([]),
});

const resultSchema = z.strictObject({
  consumer: z.string(),
  /** Digest of the pact that was verified (pact-file.ts digestOf). */
  pact: z.string(),
  /** The provider's source fingerprint at verification time. */
  source: z.string(),
  /** The semantic version the provider reported on /health. */
  providerVersion: z.string(),
  verifiedAt: z.string(),
  ok: z.boolean(),
  interactions: z.array(interactionResultSchema),
});

const registryFileSchema = z.strictObject({
  provider: z.string(),
  results: z.array(resultSchema),
});

export type VerificationResult = z.infer<typeof resultSchema>;
export type InteractionResult = z.infer<typeof interactionResultSchema>;

/** Results kept per provider: enough to go back and forth between a few versions without re-verifying. */
const KEEP = 30;

function registryFile(folder: string, provider: string): string {
  return path.join(folder, `${provider}.json`);
}

/** Every recorded verification of a provider, newest first (none when it was never verified). */
export function readResults(folder: string, provider: string): VerificationResult[] {
  const file = registryFile(folder, provider);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  let parsed: ReturnType<typeof registryFileSchema.safeParse>;
  try {
    parsed = registryFileSchema.safeParse(JSON.parse(text));
  } catch (error) {
    parsed = { success: false, error: error as z.ZodError } as typeof parsed;
  }
  if (!parsed.success)
    throw new ContractsError(
      'ERR_REGISTRY_MALFORMED',
      `${displayPath(file)}: the verification results are unreadable (${parsed.error.message.split('\n')[0]}); delete the file and run npx strangler contracts verify ${provider}`,
    );
  return parsed.data.results;
}

/** Records results (one per consumer), replacing older ones for the same pact and source. */
export function recordResults(
  folder: string,
  provider: string,
  results: readonly VerificationResult[],
): void {
  const same = (a: VerificationResult, b: VerificationResult) =>
    a.consumer === b.consumer && a.pact === b.pact && a.source === b.source;
  const kept = readResults(folder, provider).filter((old) => !results.some((r) => same(old, r)));
  const file = registryFile(folder, provider);
  fs.mkdirSync(folder, { recursive: true });
  writeFileAtomically(
    file,
    `${JSON.stringify({ provider, results: [...results, ...kept].slice(0, KEEP) }, null, 2)}\n`,
  );
}

/** The newest result for exactly this pact and provider source, if it was ever verified. */
export function findResult(
  results: readonly VerificationResult[],
  consumer: string,
  pact: string,
  source: string,
): VerificationResult | undefined {
  return results.find((r) => r.consumer === consumer && r.pact === pact && r.source === source);
}
