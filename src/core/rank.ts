/**
 * For each value, how many values are strictly better: higher when `higherIsBetter`, else
 * lower. Equal values get the same count, which is docs/DESIGN.md's tie rule for both LTV ranks
 * ("equal values share a rank") and RFM scores ("ties share the lower score").
 *
 * @example
 * countStrictlyBetter([5, 9, 5, 1], true) // [1, 0, 1, 3]
 */
export function countStrictlyBetter(values: readonly number[], higherIsBetter: boolean): number[] {
  const order = values.map((_, index) => index);
  order.sort((a, b) => (higherIsBetter ? values[b]! - values[a]! : values[a]! - values[b]!));
  const result = new Array<number>(values.length);
  for (let position = 0; position < order.length; position++) {
    const index = order[position]!;
    const previous = order[position - 1];
    result[index] = previous !== undefined && values[previous] === values[index] ? result[previous]! : position;
  }
  return result;
}

/** For each value, how many values are strictly worse (the complement of strictly better and equal). */
export function countStrictlyWorse(values: readonly number[], higherIsBetter: boolean): number[] {
  return countStrictlyBetter(values, !higherIsBetter);
}

/** The median of a list (mean of the two middle values for an even length); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
