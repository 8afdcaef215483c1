import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ContractsError } from './errors';
import { projectPath } from '../../common/src/project-root';

/** Where the repository's contracts configuration lives unless a command names another. */
export const DEFAULT_CONTRACTS_FILE = projectPath('contracts', 'contracts.yaml');

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const name = z
  .string()
  .regex(NAME, { error: 'must be 1-63 lower-case letters, digits, ".", "_" or "-"' });
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !path.isAbsolute(p), { error: 'must be relative to root' });

const participantSchema = z.strictObject({
  source: z.array(relativePath).min(1),
  provider: relativePath.optional(),
  upstreams: z.array(z.string().min(1)).optional(),
});

const contractsFileSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  root: z.string().default('..'),
  pactFolder: relativePath,
  registryFolder: relativePath,
  participants: z.record(name, participantSchema),
  pacts: z.array(z.strictObject({ consumer: name, provider: name })).min(1),
});

export interface Participant {
  readonly name: string;
  /** Absolute folders and files whose contents are this participant's version. */
  readonly source: readonly string[];
  /** The module that starts it for verification (providers only), absolute. */
  readonly provider?: string;
  /** Its names in the proxy's routes file. */
  readonly upstreams: readonly string[];
}

export interface PactSpec {
  readonly consumer: string;
  readonly provider: string;
  /** Absolute path of the committed pact file. */
  readonly file: string;
}

export interface ContractsConfig {
  readonly file: string;
  readonly root: string;
  readonly pactFolder: string;
  readonly registryFolder: string;
  readonly participants: ReadonlyMap<string, Participant>;
  readonly pacts: readonly PactSpec[];
}

export function pactFileName(consumer: string, provider: string): string {
  return `${consumer}-${provider}.json`;
}

/** Shows a path relative to the working directory when it is inside it (messages stay short). */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

/**
 * Reads and checks contracts.yaml: every pact names known participants, every provider has a
 * `provider` module. Throws ContractsError naming the file, the field and the fix.
 *
 * @example const config = loadContractsConfig(); config.pacts.filter((p) => p.provider === 'catalog-service')
 */
export function loadContractsConfig(file = DEFAULT_CONTRACTS_FILE): ContractsConfig {
  const shown = displayPath(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ContractsError(
      'ERR_CONTRACTS_CONFIG',
      `${shown}: cannot read the contracts file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pass --contracts <file> or restore contracts/contracts.yaml`,
    );
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new ContractsError(
      'ERR_CONTRACTS_CONFIG',
      `${shown}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}; fix the indentation or quoting there`,
    );
  const parsed = contractsFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContractsError(
      'ERR_CONTRACTS_CONFIG',
      `${shown}: field "${issue.path.join('.')}": ${issue.message}; see contracts/README.md for the format`,
    );
  }
  const data = parsed.data;
  const root = path.resolve(path.dirname(file), data.root);
  const participants = new Map<string, Participant>();
  for (const [key, spec] of Object.entries(data.participants)) {
    participants.set(key, {
      name: key,
      source: spec.source.map((p) => path.join(root, p)),
      provider: spec.provider && path.join(root, spec.provider),
      upstreams: spec.upstreams ?? [key],
    });
  }
  const pactFolder = path.join(root, data.pactFolder);
  const pacts = data.pacts.map((pair, index): PactSpec => {
    for (const side of ['consumer', 'provider'] as const) {
      if (!participants.has(pair[side]))
        throw new ContractsError(
          'ERR_CONTRACTS_CONFIG',
          `${shown}: field "pacts.${index}.${side}": "${pair[side]}" is not a participant (known: ${[...participants.keys()].join(', ')}); add it under participants`,
        );
    }
    if (!participants.get(pair.provider)!.provider)
      throw new ContractsError(
        'ERR_CONTRACTS_CONFIG',
        `${shown}: field "participants.${pair.provider}.provider": ${pair.provider} is the provider of a pact but has no provider module; add provider: <module that starts it and sets up provider states>`,
      );
    return { ...pair, file: path.join(pactFolder, pactFileName(pair.consumer, pair.provider)) };
  });
  return Object.freeze({
    file,
    root,
    pactFolder,
    registryFolder: path.join(root, data.registryFolder),
    participants,
    pacts: Object.freeze(pacts),
  });
}

/** The participant that serves a proxy upstream, if any pact involves it. */
export function participantOfUpstream(
  config: ContractsConfig,
  upstream: string,
): Participant | undefined {
  return [...config.participants.values()].find((p) => p.upstreams.includes(upstream));
}

export function requireParticipant(config: ContractsConfig, name: string): Participant {
  const found = config.participants.get(name);
  if (!found)
    throw new ContractsError(
      'ERR_PROVIDER_UNKNOWN',
      `${displayPath(config.file)}: "${name}" is not a participant (known: ${[...config.participants.keys()].join(', ')}); use one of them or add it under participants`,
    );
  return found;
}
