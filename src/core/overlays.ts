/**
 * Behavioural overlays beside the LTV tiers (docs/DESIGN.md "Activation", seed 000 step 3): the
 * direction of a customer's order frequency and the named RFM segment of their R and F scores.
 */

export type FrequencyTrend = 'increasing' | 'stable' | 'declining';

/**
 * The frequency trend from the 180-day trend (orders in the last 180 days minus orders in the
 * 180 days before, docs/DESIGN.md "RFM overlay"): more orders lately is increasing, fewer declining.
 *
 * @example
 * frequencyTrendOf(2); // 'increasing'
 * frequencyTrendOf(0); // 'stable'
 */
export function frequencyTrendOf(orderTrend: number): FrequencyTrend {
  if (orderTrend > 0) return 'increasing';
  if (orderTrend < 0) return 'declining';
  return 'stable';
}

export const RFM_SEGMENTS = [
  'Champions',
  'Loyal',
  'Potential Loyalist',
  'New',
  'Promising',
  'Need Attention',
  'About to Sleep',
  'At Risk',
  "Can't Lose Them",
  'Hibernating',
  'Lost',
] as const;

export type RfmSegmentName = (typeof RFM_SEGMENTS)[number];

/**
 * The named RFM segment of an R and an F score (1–5 each), on the widely used R×F grid: the
 * ten-cell "RFM segments" map that RFM tutorials and notebooks share as a regex table on the
 * "RF" score string (`[1-2][1-2]` Hibernating, `[1-2][3-4]` At Risk, `[1-2]5` Can't Lose,
 * `3[1-2]` About to Sleep, `33` Need Attention, `[3-4][4-5]` Loyal, `41` Promising, `51` New,
 * `[4-5][2-3]` Potential Loyalist, `5[4-5]` Champions). That grid has no Lost cell; like the
 * eleven-segment variants of it, we name its oldest corner Lost: R 1 with F 1–2 (bought long
 * ago, rarely), leaving Hibernating to R 2 with F 1–2.
 *
 * | F \ R | 1 | 2 | 3 | 4 | 5 |
 * |---|---|---|---|---|---|
 * | 5 | Can't Lose Them | Can't Lose Them | Loyal | Loyal | Champions |
 * | 4 | At Risk | At Risk | Loyal | Loyal | Champions |
 * | 3 | At Risk | At Risk | Need Attention | Potential Loyalist | Potential Loyalist |
 * | 2 | Lost | Hibernating | About to Sleep | Potential Loyalist | Potential Loyalist |
 * | 1 | Lost | Hibernating | About to Sleep | Promising | New |
 *
 * @example
 * rfmSegmentOf(5, 5); // 'Champions'
 * rfmSegmentOf(1, 5); // "Can't Lose Them"
 */
export function rfmSegmentOf(r: number, f: number): RfmSegmentName {
  if (!Number.isInteger(r) || !Number.isInteger(f) || r < 1 || r > 5 || f < 1 || f > 5) {
    throw new RangeError(`rfmSegmentOf: R and F must be whole scores 1–5 (got R ${r}, F ${f})`);
  }
  if (r <= 2) {
    if (f === 5) return "Can't Lose Them";
    if (f >= 3) return 'At Risk';
    return r === 1 ? 'Lost' : 'Hibernating';
  }
  if (r === 3) {
    if (f >= 4) return 'Loyal';
    return f === 3 ? 'Need Attention' : 'About to Sleep';
  }
  if (f >= 4) return r === 5 ? 'Champions' : 'Loyal';
  if (f >= 2) return 'Potential Loyalist';
  return r === 5 ? 'New' : 'Promising';
}
