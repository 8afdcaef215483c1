// Runs in its own process (forked by verify.ts): the Pact verifier prints its report to stdout
// from native code, and a provider that hangs or crashes must not take the caller with it.
// Speaks to the parent only through process.send (one message, then exit).
import { Verifier } from '@pact-foundation/pact';
import type { ProviderUnderTest, StartProvider } from './provider-harness';

export interface ChildRequest {
  providerModule: string;
  provider: string;
  pacts: { consumer: string; file: string }[];
  /** Every provider state the pacts name: all must have a handler before anything is verified. */
  requiredStates: string[];
}

export type ChildMessage =
  | { kind: 'start-failed'; message: string }
  | { kind: 'states-missing'; missing: string[]; implemented: string[] }
  | { kind: 'verified'; providerVersion: string; results: ChildPactResult[] };

export interface ChildPactResult {
  consumer: string;
  ok: boolean;
  interactions: { description: string; ok: boolean }[];
  errors: { interaction: string; problems: string[] }[];
}

interface VerifierJson {
  result: boolean;
  interactionResults?: { description: string; result: string }[];
  errors?: { interaction: string; mismatch?: { message?: string; mismatches?: Mismatch[] } }[];
}

interface Mismatch {
  path?: string;
  mismatch?: string;
  message?: string;
  expected?: unknown;
  actual?: unknown;
}

const send = (message: ChildMessage) =>
  new Promise<void>((resolve) => process.send!(message, () => resolve()));

function parseVerifierJson(text: string): VerifierJson {
  try {
    return JSON.parse(text) as VerifierJson;
  } catch {
    return { result: false, errors: [{ interaction: '(verifier)', mismatch: { message: text } }] };
  }
}

function problemsOf(error: NonNullable<VerifierJson['errors']>[number]): string[] {
  const mismatches = error.mismatch?.mismatches ?? [];
  if (mismatches.length === 0) return [error.mismatch?.message ?? 'failed'];
  return mismatches.map((m) => {
    const what = m.mismatch ?? m.message ?? `expected ${m.expected}, got ${m.actual}`;
    return m.path ? `${m.path}: ${what}` : what;
  });
}

async function versionOf(url: string): Promise<string> {
  try {
    const health = (await (await fetch(`${url}/health`)).json()) as { version?: unknown };
    return typeof health.version === 'string' ? health.version : 'unversioned';
  } catch {
    return 'unversioned';
  }
}

async function verifyPact(
  provider: ProviderUnderTest,
  name: string,
  pact: ChildRequest['pacts'][number],
): Promise<ChildPactResult> {
  let json: VerifierJson;
  try {
    const out = await new Verifier({
      provider: name,
      providerBaseUrl: provider.url,
      pactUrls: [pact.file],
      logLevel: 'error',
      stateHandlers: Object.fromEntries(
        Object.entries(provider.stateHandlers).map(([state, handler]) => [
          state,
          async (params: unknown) =>
            (await handler((params ?? {}) as Record<string, unknown>)) as never,
        ]),
      ),
    }).verifyProvider();
    json = parseVerifierJson(String(out));
  } catch (error) {
    json = parseVerifierJson((error as Error).message);
  }
  return {
    consumer: pact.consumer,
    ok: json.result === true,
    interactions: (json.interactionResults ?? []).map((r) => ({
      description: r.description,
      ok: r.result === 'OK',
    })),
    errors: (json.errors ?? []).map((e) => ({
      interaction: e.interaction,
      problems: problemsOf(e),
    })),
  };
}

async function run(request: ChildRequest): Promise<void> {
  process.env.PACT_DO_NOT_TRACK ??= 'true';
  let provider: ProviderUnderTest;
  try {
    // necessary because the module is named in contracts.yaml, not known when this file is compiled
    const module = require(request.providerModule) as { startProvider?: StartProvider };
    if (typeof module.startProvider !== 'function')
      throw new Error('it does not export startProvider()');
    provider = await module.startProvider();
  } catch (error) {
    await send({ kind: 'start-failed', message: (error as Error).message });
    return;
  }
  try {
    const implemented = Object.keys(provider.stateHandlers);
    const missing = request.requiredStates.filter((state) => !implemented.includes(state));
    if (missing.length > 0) return await send({ kind: 'states-missing', missing, implemented });
    const results: ChildPactResult[] = [];
    for (const pact of request.pacts)
      results.push(await verifyPact(provider, request.provider, pact));
    await send({ kind: 'verified', providerVersion: await versionOf(provider.url), results });
  } finally {
    await provider.close().catch(() => undefined);
  }
}

process.once('message', (request: ChildRequest) => {
  run(request).then(
    () => process.exit(0),
    async (error: Error) => {
      await send({ kind: 'start-failed', message: error.message });
      process.exit(1);
    },
  );
});
