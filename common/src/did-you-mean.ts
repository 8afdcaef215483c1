/** The known name a misspelt one most likely meant (same letters ignoring case, or ≤ 2 edits), if any. */
export function closestName(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  return known.find(
    (name) => name.toLowerCase() === lower || editDistance(name.toLowerCase(), lower) <= 2,
  );
}

/** `; did you mean "x"?` when a known name is close (see closestName), else ''. */
export function didYouMean(unknown: string, known: readonly string[]): string {
  const close = closestName(unknown, known);
  return close ? `; did you mean "${close}"?` : '';
}

/** Levenshtein distance: insertions, deletions and substitutions from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
