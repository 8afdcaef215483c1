import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { displayPath, type PactSpec } from './config';
import { ContractsError } from './errors';

const interactionSchema = z.looseObject({
  description: z.string().min(1),
  providerStates: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
  request: z.looseObject({ method: z.string(), path: z.string() }),
  response: z.looseObject({ status: z.number().int() }),
});

const pactSchema = z.looseObject({
  consumer: z.looseObject({ name: z.string().min(1) }),
  provider: z.looseObject({ name: z.string().min(1) }),
  interactions: z.array(interactionSchema),
});

export type PactInteraction = z.infer<typeof interactionSchema>;

export interface PactDocument {
  consumer: string;
  provider: string;
  interactions: PactInteraction[];
  /** sha256 of the consumer, provider and interactions (not the metadata, which names tool versions). */
  digest: string;
  /** The file as parsed, for rewriting. */
  raw: Record<string, unknown>;
}

const FIX_MISSING =
  'run the consumer tests to write it (PACT_UPDATE=1 npx jest --selectProjects contracts), or restore it with git checkout';

/** The digest of what a pact promises: two pacts with the same digest are the same contract. */
export function digestOf(pact: {
  consumer: string;
  provider: string;
  interactions: unknown[];
}): string {
  const canonical = JSON.stringify(sortKeys([pact.consumer, pact.provider, pact.interactions]));
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  return value;
}

/** Parses pact JSON; throws ERR_PACT_MALFORMED naming the file and what is wrong. */
export function parsePact(text: string, file: string): PactDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ContractsError(
      'ERR_PACT_MALFORMED',
      `${displayPath(file)}: not valid JSON (${(error as Error).message}); ${FIX_MISSING}`,
    );
  }
  const parsed = pactSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContractsError(
      'ERR_PACT_MALFORMED',
      `${displayPath(file)}: not a pact file: field "${issue.path.join('.') || '(root)'}": ${issue.message}; ${FIX_MISSING}`,
    );
  }
  const { consumer, provider, interactions } = parsed.data;
  const pact = { consumer: consumer.name, provider: provider.name, interactions };
  return { ...pact, digest: digestOf(pact), raw: json as Record<string, unknown> };
}

/** Reads the committed pact of a consumer/provider pair; missing, malformed or mislabelled is an error. */
export function readPact(spec: PactSpec): PactDocument {
  let text: string;
  try {
    text = fs.readFileSync(spec.file, 'utf8');
  } catch {
    throw new ContractsError(
      'ERR_PACT_MISSING',
      `${displayPath(spec.file)}: the pact between ${spec.consumer} (consumer) and ${spec.provider} (provider) is missing; ${FIX_MISSING}`,
    );
  }
  const pact = parsePact(text, spec.file);
  if (pact.consumer !== spec.consumer || pact.provider !== spec.provider)
    throw new ContractsError(
      'ERR_PACT_MALFORMED',
      `${displayPath(spec.file)}: names consumer "${pact.consumer}" and provider "${pact.provider}", but contracts.yaml expects ${spec.consumer} → ${spec.provider}; write it again with the consumer tests`,
    );
  return pact;
}

/** "Given <state>, <description>": how an interaction is named in answers and errors. */
export function interactionName(interaction: PactInteraction): string {
  const states = (interaction.providerStates ?? []).map((s) => s.name);
  return states.length > 0
    ? `given ${states.join(' and ')}: ${interaction.description}`
    : interaction.description;
}
