import type { CustomerSegment } from '../../core/segment.ts';
import { RFM_SEGMENTS } from '../../core/overlays.ts';
import type { Point } from './charts.ts';
import { formatCount, formatPercent } from './format.ts';

/**
 * The pure computations behind the report's charts: from segments to the numbers drawn.
 */

/**
 * The Pareto (Lorenz) curve of LTV: customers ranked by LTV, highest first; point k of
 * `steps` is x = k / steps of customers and y = their share of the total LTV, where the top
 * k / steps are the first floor(k × N / steps) customers (the same "share ≤ cut" rule as the
 * tiers). With no positive total, y is 0 everywhere.
 *
 * @example
 * paretoPoints([100, 400, 300, 200], 4)
 * // [{x:0,y:0},{x:0.25,y:0.4},{x:0.5,y:0.7},{x:0.75,y:0.9},{x:1,y:1}]
 */
export function paretoPoints(ltvCents: readonly number[], steps = 100): Point[] {
  const sorted = [...ltvCents].sort((a, b) => b - a);
  const prefix = new Float64Array(sorted.length + 1);
  sorted.forEach((value, index) => (prefix[index + 1] = prefix[index]! + value));
  const total = prefix[sorted.length]!;
  return Array.from({ length: steps + 1 }, (_, k) => {
    const count = Math.floor((k * sorted.length) / steps);
    return { x: k / steps, y: total > 0 ? prefix[count]! / total : 0 };
  });
}

/**
 * Customers per (tier, recency bucket): counts[tier index][bucket index], in the given orders.
 *
 * @example
 * recencyByTier(segments, ['vip', 'new'], ['active', 'cold']) // [[3, 1], [5, 0]]
 */
export function recencyByTier(
  segments: readonly Pick<CustomerSegment, 'tier' | 'recencyBucket'>[],
  tierIds: readonly string[],
  bucketIds: readonly string[],
): number[][] {
  const counts = tierIds.map(() => bucketIds.map(() => 0));
  const tierIndex = new Map(tierIds.map((id, index) => [id, index]));
  const bucketIndex = new Map(bucketIds.map((id, index) => [id, index]));
  for (const segment of segments) {
    const t = tierIndex.get(segment.tier);
    const b = bucketIndex.get(segment.recencyBucket);
    if (t !== undefined && b !== undefined) counts[t]![b]!++;
  }
  return counts;
}

/**
 * Customers per (R score, F score): counts[r − 1][f − 1], scores 1–5.
 *
 * @example
 * rfCounts([{ r: 5, f: 1 }])[4][0] // 1
 */
export function rfCounts(segments: readonly Pick<CustomerSegment, 'r' | 'f'>[]): number[][] {
  const counts = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
  for (const { r, f } of segments) counts[r - 1]![f - 1]!++;
  return counts;
}

/**
 * Why a score of the R × F heat map has no customers. Scores go by rank (docs/DESIGN.md
 * "RFM"): 1 + ⌊5 × customers strictly worse ÷ N⌋, tied customers sharing the lower score. So
 * when one tie (say, every one-order customer) holds more than a fifth of the customers, the
 * customers just above it jump a score and the score in between stays empty; a marketer sees
 * an all-zero F = 2 column and needs to know it is the rule, not missing data.
 *
 * @example
 * emptyScoreNotes([[200, 0, 0, 0, 0], [200, 0, 0, 0, 0], [150, 0, 0, 50, 0], [108, 0, 0, 50, 42], [0, 0, 0, 100, 100]])
 * // ['F = 2 and F = 3 have no customers, by the scoring rule: … Here the 658 customers at F = 1 (65.8%) hold such a tie.']
 */
export function emptyScoreNotes(rf: readonly (readonly number[])[]): string[] {
  const total = rf.flat().reduce((sum, n) => sum + n, 0);
  if (total === 0) return [];
  const byR = rf.map((row) => row.reduce((sum, n) => sum + n, 0));
  const byF = [0, 1, 2, 3, 4].map((f) => rf.reduce((sum, row) => sum + row[f]!, 0));
  return [noteFor('R', byR, total), noteFor('F', byF, total)].filter((note) => note !== null);
}

function noteFor(axis: 'R' | 'F', perScore: readonly number[], total: number): string | null {
  const empty = perScore.flatMap((n, index) => (n === 0 ? [index + 1] : []));
  // Score 1 is never empty (the worst customers have nobody worse): the score just below the
  // first empty one holds the tie that spans it.
  if (empty.length === 0 || empty[0] === 1) return null;
  const below = empty[0]! - 1;
  const held = perScore[below - 1]!;
  const names = empty.map((score) => `${axis} = ${score}`);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return (
    `${list} ${names.length === 1 ? 'has' : 'have'} no customers, by the scoring rule: a score is 1 + ⌊5 × customers strictly worse ÷ all customers⌋ and tied customers share the lower score, ` +
    `so a tie larger than a fifth of the customers spans more than one score. Here the ${formatCount(held)} customers at ${axis} = ${below} (${formatPercent(held / total)}) hold such a tie.`
  );
}

/** Churn-risk bins of 10 points: 0–9, 10–19, …, 80–89, and 90–100 (100 joins the last bin). */
export const CHURN_BINS = ['0–9', '10–19', '20–29', '30–39', '40–49', '50–59', '60–69', '70–79', '80–89', '90–100'];

/**
 * Churn-risk histogram per tier: counts[tier index][bin index] over {@link CHURN_BINS}.
 *
 * @example
 * churnHistogram([{ tier: 'vip', churnRisk: 100 }, { tier: 'vip', churnRisk: 9 }], ['vip'])[0]
 * // [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
 */
export function churnHistogram(segments: readonly Pick<CustomerSegment, 'tier' | 'churnRisk'>[], tierIds: readonly string[]): number[][] {
  const counts = tierIds.map(() => CHURN_BINS.map(() => 0));
  const tierIndex = new Map(tierIds.map((id, index) => [id, index]));
  for (const segment of segments) {
    const t = tierIndex.get(segment.tier);
    if (t === undefined) continue;
    counts[t]![Math.min(9, Math.floor(segment.churnRisk / 10))]!++;
  }
  return counts;
}

/**
 * counts[segment][tier]: customers by named RFM segment (in RFM_SEGMENTS order) and tier.
 *
 * @example
 * rfmSegmentsByTier([{ rfmSegment: 'Champions', tier: 'vip' }], ['vip'])[0]; // [1]
 */
export function rfmSegmentsByTier(segments: readonly Pick<CustomerSegment, 'rfmSegment' | 'tier'>[], tierIds: readonly string[]): number[][] {
  const row = new Map<string, number>(RFM_SEGMENTS.map((name, index) => [name, index]));
  const column = new Map(tierIds.map((id, index) => [id, index]));
  const counts = RFM_SEGMENTS.map(() => tierIds.map(() => 0));
  for (const segment of segments) {
    const c = column.get(segment.tier);
    if (c !== undefined) counts[row.get(segment.rfmSegment)!]![c]!++;
  }
  return counts;
}
