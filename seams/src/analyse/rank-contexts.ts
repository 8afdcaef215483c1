import type { ContextMetrics } from './context-metrics';
import type { Finding } from './findings-model';

/**
 * Weights of the extraction score: what others hold on to weighs most. Lower score
 * = extract earlier. Inside a cycle, what still depends on a context once the
 * proposed cuts are made (and how many cuts touch it) tells its members apart.
 */
export const SCORE_WEIGHTS = {
  afferent: 3,
  afferentTypeOnly: 1,
  fksIn: 4,
  tablesUsedByOthers: 3,
  crossContextTransactions: 5,
  inCycle: 5,
  cycleDependents: 2,
  cycleCuts: 1,
  fksOut: 2,
  foreignTablesRead: 2,
  foreignTablesWritten: 3,
  efferent: 1,
} as const;

export interface RankEntry {
  rank: number;
  context: string;
  score: number;
  /** Each non-zero term: metric value × weight. */
  terms: Array<{
    metric: keyof typeof SCORE_WEIGHTS;
    value: number;
    weight: number;
    points: number;
  }>;
  /** The seams to undo before or while extracting it, each with its next step. */
  seams: Array<{ id: string; kind: string; title: string; nextStep: string }>;
}

function metricValue(metrics: ContextMetrics, metric: keyof typeof SCORE_WEIGHTS): number {
  const value = metrics[metric];
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/**
 * Orders contexts for extraction, least depended on first. The score is a
 * plain weighted sum, printed term by term so every rank can be checked.
 */
export function rankContexts(
  metrics: readonly ContextMetrics[],
  findings: readonly Finding[],
): RankEntry[] {
  const scored = metrics.map((m) => {
    const terms = (Object.keys(SCORE_WEIGHTS) as Array<keyof typeof SCORE_WEIGHTS>)
      .map((metric) => {
        const value = metricValue(m, metric);
        return {
          metric,
          value,
          weight: SCORE_WEIGHTS[metric],
          points: value * SCORE_WEIGHTS[metric],
        };
      })
      .filter((t) => t.value !== 0);
    const seams = findings
      .filter((f) => f.contexts.includes(m.context))
      .map((f) => ({ id: f.id, kind: f.kind, title: f.title, nextStep: f.nextStep }));
    return { context: m.context, score: terms.reduce((sum, t) => sum + t.points, 0), terms, seams };
  });
  scored.sort((a, b) => a.score - b.score || a.context.localeCompare(b.context));
  return scored.map((entry, index) => ({ rank: index + 1, ...entry }));
}
