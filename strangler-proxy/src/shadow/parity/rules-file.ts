import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { compileRules, type CompiledRules } from '../compare-rules';
import { ShadowError } from '../errors';

/**
 * Loads comparison rules for `strangler parity --compare`: YAML or JSON holding the
 * rules themselves, or a `compare:` block (so a route's shadow rules can be pasted as they are).
 */
export function loadCompareRules(file: string | undefined): CompiledRules {
  if (file === undefined) return compileRules({});
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ShadowError(
      'ERR_PARITY_RULES_UNREADABLE',
      `${file}: cannot read the comparison rules (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check --compare`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ShadowError(
      'ERR_SHADOW_RULES_INVALID',
      `${file}: invalid YAML/JSON (${(error as Error).message.split('\n')[0]}); see strangler-proxy/src/shadow/README.md`,
    );
  }
  const wrapped =
    raw !== null &&
    typeof raw === 'object' &&
    !Array.isArray(raw) &&
    Object.keys(raw).length === 1 &&
    'compare' in raw;
  return compileRules(wrapped ? (raw as { compare: unknown }).compare : raw, file);
}
