import type { ExpectedAccess } from './generate-patterns';

export interface AttributionScore {
  expected: number;
  found: number;
  precision: number;
  recall: number;
  falsePositives: string[];
  falseNegatives: string[];
}

const keyOf = (a: ExpectedAccess) => `${a.context}|${a.file}|${a.symbol}|${a.table}|${a.mode}`;

/**
 * Precision and recall of table attribution: each (context, file, function,
 * table, mode) the analysis reports against the known answer of the generator.
 */
export function scoreAttribution(
  expected: readonly ExpectedAccess[],
  found: readonly ExpectedAccess[],
): AttributionScore {
  const want = new Set(expected.map(keyOf));
  const got = new Set(found.map(keyOf));
  const falsePositives = [...got].filter((k) => !want.has(k));
  const falseNegatives = [...want].filter((k) => !got.has(k));
  const truePositives = got.size - falsePositives.length;
  return {
    expected: want.size,
    found: got.size,
    precision: got.size === 0 ? 0 : truePositives / got.size,
    recall: want.size === 0 ? 0 : truePositives / want.size,
    falsePositives,
    falseNegatives,
  };
}
