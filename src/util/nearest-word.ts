/**
 * Levenshtein distance: the fewest single-character insertions, deletions and substitutions
 * turning `a` into `b`.
 *
 * @example
 * editDistance('enabeld', 'enabled') // 2
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `word` by edit distance (ties: the first listed), or null when
 * even the closest needs more edits than half its length, which reads as a different word.
 *
 * @example
 * nearestWord('max_changed_shares', ['max_changed_share']) // 'max_changed_share'
 */
export function nearestWord(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.ceil(best.length / 2)) ? best : null;
}
