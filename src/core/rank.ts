/**
 * For each value, how many values are strictly better: higher when `higherIsBetter`, else
 * lower. Equal values get the same count, which is docs/DESIGN.md's tie rule for both LTV ranks
 * ("equal values share a rank") and RFM scores ("ties share the lower score").
 *
 * @example
 * countStrictlyBetter([5, 9, 5, 1], true) // [1, 0, 1, 3]
 */
export function countStrictlyBetter(values: ArrayLike<number>, higherIsBetter: boolean): number[] {
  const order = bestFirst(values, higherIsBetter);
  const result = new Array<number>(values.length);
  for (let position = 0; position < order.length; position++) {
    const index = order[position]!;
    result[index] = position > 0 && values[order[position - 1]!] === values[index] ? result[order[position - 1]!]! : position;
  }
  return result;
}

/**
 * Indexes from best to worst value, equal values in index order (a stable sort). Whole
 * numbers whose spread times the count fits in 2^53 (cents, days, order counts) are packed
 * as (distance from the best value) × n + index into one Float64Array and sorted natively:
 * the same order, without a comparator call per comparison, which made the four ranks of a
 * million customers a quarter of `tiersync segment`. Anything else takes the comparator.
 */
function bestFirst(values: ArrayLike<number>, higherIsBetter: boolean): ArrayLike<number> {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  for (let i = 0; i < n && whole; i++) {
    const value = values[i]!;
    whole = Number.isSafeInteger(value);
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (n > 0 && whole && max - min < n) return countingOrder(values, higherIsBetter, min, max);
  if (n > 0 && whole && (max - min + 1) * n <= Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (higherIsBetter ? max - values[i]! : values[i]! - min) * n + i;
    keys.sort();
    const order = new Int32Array(n);
    for (let position = 0; position < n; position++) order[position] = keys[position]! % n;
    return order;
  }
  const order = Array.from({ length: n }, (_, index) => index);
  order.sort((a, b) => (higherIsBetter ? values[b]! - values[a]! : values[a]! - values[b]!));
  return order;
}

/**
 * {@link bestFirst} for whole numbers spanning fewer values than there are (days since the
 * last order, order counts): a counting sort, one pass to count, one to place, indexes of
 * equal values in index order as the packed sort gives them.
 */
function countingOrder(values: ArrayLike<number>, higherIsBetter: boolean, min: number, max: number): Int32Array {
  const n = values.length;
  const bucketOf = (value: number) => (higherIsBetter ? max - value : value - min);
  const next = new Int32Array(max - min + 2);
  for (let i = 0; i < n; i++) next[bucketOf(values[i]!) + 1]!++;
  for (let bucket = 1; bucket < next.length; bucket++) next[bucket]! += next[bucket - 1]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[next[bucketOf(values[i]!)]!++] = i;
  return order;
}

/** For each value, how many values are strictly worse (the complement of strictly better and equal). */
export function countStrictlyWorse(values: ArrayLike<number>, higherIsBetter: boolean): number[] {
  return countStrictlyBetter(values, !higherIsBetter);
}

/** The median of a list (mean of the two middle values for an even length); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
