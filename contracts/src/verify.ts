import { fork } from 'node:child_process';
import path from 'node:path';
import { type ContractsConfig, displayPath, requireParticipant } from './config';
import { ContractsError } from './errors';
import { sourceFingerprint } from './fingerprint';
import { interactionName, type PactDocument, readPact } from './pact-file';
import { recordResults, type VerificationResult } from './registry';
import type { ChildMessage, ChildPactResult, ChildRequest } from './verify-child';

export interface VerifyOptions {
  /** Where results go (default: the registry folder of contracts.yaml). */
  registryFolder?: string;
  /** Shows the verifier's own report (default: kept quiet, problems are in the result). */
  verbose?: boolean;
  timeoutMs?: number;
  onProgress?: (line: string) => void;
  now?: () => Date;
}

export interface ProviderVerification {
  provider: string;
  providerVersion: string;
  source: string;
  results: VerificationResult[];
  ok: boolean;
}

const CHILD = path.join(__dirname, 'verify-child.ts');

/**
 * Verifies every pact that names `provider` against a real instance of it (started by its
 * provider module, in a child process) and records the results in the registry.
 * Missing or malformed pacts, a provider that does not start and a provider state without a
 * handler are ContractsErrors (exit 2); failing interactions are results (`ok: false`).
 *
 * @example const outcome = await verifyProvider(loadContractsConfig(), 'catalog-service');
 */
export async function verifyProvider(
  config: ContractsConfig,
  provider: string,
  options: VerifyOptions = {},
): Promise<ProviderVerification> {
  const participant = requireParticipant(config, provider);
  const specs = config.pacts.filter((p) => p.provider === provider);
  const source = sourceFingerprint(config, participant);
  if (specs.length === 0)
    return { provider, providerVersion: 'unknown', source, results: [], ok: true };
  const pacts = specs.map((spec) => ({ spec, pact: readPact(spec) }));
  const module = participant.provider!;
  options.onProgress?.(
    `${provider}: starting ${displayPath(module)} and verifying ${pacts.length} pact(s): ${pacts.map((p) => `${p.pact.consumer} (${p.pact.interactions.length} interactions)`).join(', ')}`,
  );
  const message = await runChild(
    {
      providerModule: module,
      provider,
      pacts: pacts.map(({ spec }) => ({ consumer: spec.consumer, file: spec.file })),
      requiredStates: [
        ...new Set(
          pacts.flatMap(({ pact }) =>
            pact.interactions.flatMap((i) => (i.providerStates ?? []).map((s) => s.name)),
          ),
        ),
      ],
    },
    options,
  );
  if (message.kind === 'start-failed')
    throw new ContractsError(
      'ERR_PROVIDER_START',
      `${displayPath(module)}: ${provider} did not start for verification: ${message.message}. Fix: make sure the service starts on its own (its main.ts), that the module exports startProvider(), and that its migrations run on an empty database`,
    );
  if (message.kind === 'states-missing')
    throw missingStates(module, provider, message.missing, message.implemented, pacts);
  const verifiedAt = (options.now ?? (() => new Date()))().toISOString();
  const results = message.results.map((child) => {
    const { pact } = pacts.find((p) => p.spec.consumer === child.consumer)!;
    return toResult(child, pact, source, message.providerVersion, verifiedAt);
  });
  recordResults(options.registryFolder ?? config.registryFolder, provider, results);
  return {
    provider,
    providerVersion: message.providerVersion,
    source,
    results,
    ok: results.every((r) => r.ok),
  };
}

function missingStates(
  module: string,
  provider: string,
  missing: string[],
  implemented: string[],
  pacts: { spec: { file: string }; pact: PactDocument }[],
): ContractsError {
  const where = missing.map((state) => {
    const users = pacts.flatMap(({ spec, pact }) =>
      pact.interactions
        .filter((i) => (i.providerStates ?? []).some((s) => s.name === state))
        .map((i) => `"${i.description}" in ${displayPath(spec.file)}`),
    );
    return `"${state}" (needed by ${users.join(', ')})`;
  });
  return new ContractsError(
    'ERR_PROVIDER_STATE_MISSING',
    `${displayPath(module)}: ${provider} has no handler for provider state ${where.join('; ')}. Fix: add it to stateHandlers in ${displayPath(module)}, setting the data up through the service's repository (implemented: ${implemented.join(', ') || 'none'})`,
  );
}

function toResult(
  child: ChildPactResult,
  pact: PactDocument,
  source: string,
  providerVersion: string,
  verifiedAt: string,
): VerificationResult {
  const interactions = pact.interactions.map((interaction) => {
    const outcome = child.interactions.find((r) => r.description === interaction.description);
    const problems = [
      ...new Set(
        child.errors
          .filter((e) => e.interaction.endsWith(` - ${interaction.description}`))
          .flatMap((e) => e.problems),
      ),
    ];
    const ok = outcome ? outcome.ok && problems.length === 0 : false;
    return {
      interaction: interactionName(interaction),
      ok,
      problems: ok ? [] : problems.length > 0 ? problems : ['was not verified'],
    };
  });
  return {
    consumer: child.consumer,
    pact: pact.digest,
    source,
    providerVersion,
    verifiedAt,
    ok: child.ok && interactions.every((i) => i.ok),
    interactions,
  };
}

function runChild(request: ChildRequest, options: VerifyOptions): Promise<ChildMessage> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: ['--require', require.resolve('tsx/cjs')],
      stdio: ['ignore', options.verbose ? 'inherit' : 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
    });
    let stderr = '';
    let answer: ChildMessage | undefined;
    child.stderr?.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('message', (message: ChildMessage) => {
      answer = message;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ContractsError('ERR_VERIFIER', `cannot start the verifier: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (answer) return resolve(answer);
      const why = signal
        ? `was stopped (${signal}${signal === 'SIGKILL' ? `, no answer within ${timeoutMs / 1000} s` : ''})`
        : `exited with ${code}`;
      reject(
        new ContractsError(
          'ERR_PROVIDER_START',
          `${displayPath(request.providerModule)}: verifying ${request.provider} ${why} before it answered${stderr ? `: ${lastLines(stderr)}` : ''}. Fix: run it with --verbose, and check that the provider starts and stops on its own`,
        ),
      );
    });
    child.send(request);
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
