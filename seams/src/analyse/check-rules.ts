import picomatch from 'picomatch';
import type { ForbiddenRule } from '../config';
import type { ImportEdge } from '../model';
import { crossContext } from './context-graph';

export interface RuleViolation {
  /** Stable identity for the baseline: rule, importing file and what it reached (no line). */
  key: string;
  rule: string;
  comment?: string;
  from: string;
  to: string;
  file: string;
  line: number;
  specifier: string;
  target: string;
}

/** Cross-context imports that a `forbidden` rule of the config does not allow. */
export function checkRules(
  rules: readonly ForbiddenRule[],
  edges: readonly ImportEdge[],
): RuleViolation[] {
  // Rules see test-double imports too: a forbidden import is forbidden whatever it wires.
  const cross = crossContext(edges.map((e) => (e.testDouble ? { ...e, testDouble: false } : e)));
  return rules.flatMap((rule) => {
    const from = picomatch(rule.from);
    const to = picomatch(rule.to);
    return cross
      .filter(
        (e) =>
          from(e.fromContext as string) &&
          to(e.toContext as string) &&
          (rule.includeTypeOnly || !e.typeOnly),
      )
      .map((e) => ({
        key: `rule|${rule.name}|${e.from}|${e.toContext}`,
        rule: rule.name,
        ...(rule.comment ? { comment: rule.comment } : {}),
        from: e.fromContext as string,
        to: e.toContext as string,
        file: e.from,
        line: e.line,
        specifier: e.specifier,
        target: e.to,
      }));
  });
}
