import type { FrequencyTrend, RfmSegmentName } from './overlays.ts';
import type { CustomerSegment, Lapsed } from './segment.ts';

/**
 * Every customer's segment as columns: numbers in typed arrays, the few distinct strings
 * (tier, recency, RFM code, cohort, category) as codes into one table, ids and emails as
 * plain strings. About a third of the memory of the objects, and nothing else per customer,
 * so a run can keep them while it plans and applies chunk after chunk.
 */
export interface SegmentColumns extends Iterable<CustomerSegment> {
  readonly length: number;
  /** The segment at `index` (0 ≤ index < length), as a fresh object. */
  at(index: number): CustomerSegment;
  customerId(index: number): string;
  /** As segmented (not lower-cased). */
  email(index: number): string | null;
  tier(index: number): string;
}

/**
 * Segments as columns, sorted by customer id (plain string order: the order the store pages
 * customers in). Null numbers are kept as NaN.
 *
 * @example
 * const columns = toSegmentColumns(segments);
 * columns.at(0).tier; // 'vip'
 */
export function toSegmentColumns(segments: readonly CustomerSegment[]): SegmentColumns {
  const n = segments.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const x = segments[a]!.customerId;
    const y = segments[b]!.customerId;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const strings: (string | null)[] = [];
  const codes = new Map<string | null, number>();
  const intern = (value: string | null): number => {
    let code = codes.get(value);
    if (code === undefined) {
      code = strings.length;
      strings.push(value);
      codes.set(value, code);
    }
    return code;
  };
  const ids: string[] = new Array(n);
  const emails: (string | null)[] = new Array(n);
  const text = { tier: new Uint32Array(n), recencyBucket: new Uint32Array(n), rfm: new Uint32Array(n), cohort: new Uint32Array(n), topCategory: new Uint32Array(n), lapsed: new Uint32Array(n),
    rfmSegment: new Uint32Array(n), frequencyTrend: new Uint32Array(n) };
  const numberFields = [
    'ltvCents', 'historicalLtvCents', 'predictedClvCents', 'pAlive', 'expectedOrders365', 'topShare', 'orders', 'ordersLast365', 'revenueCents',
    'aovCents', 'firstOrderAt', 'lastOrderAt', 'daysSinceLast', 'tenureDays', 'churnRisk', 'cohortPercentile', 'r', 'f', 'm',
  ] as const;
  const numbers = Object.fromEntries(numberFields.map((field) => [field, new Float64Array(n)])) as Record<(typeof numberFields)[number], Float64Array>;
  // Bit 0 at risk, bit 1 suppressed, bit 2 reactivation due.
  const flags = new Uint8Array(n);
  order.forEach((source, i) => {
    const s = segments[source]!;
    ids[i] = s.customerId;
    emails[i] = s.email;
    for (const field of Object.keys(text) as (keyof typeof text)[]) text[field][i] = intern(s[field]);
    for (const field of numberFields) numbers[field][i] = s[field] ?? Number.NaN;
    flags[i] = (s.atRisk ? 1 : 0) | (s.suppressed ? 2 : 0) | (s.reactivationDue ? 4 : 0);
  });
  const nullable = (value: number): number | null => (Number.isNaN(value) ? null : value);
  const str = (codesOf: Uint32Array, i: number) => strings[codesOf[i]!]!;

  const at = (i: number): CustomerSegment => ({
    customerId: ids[i]!,
    email: emails[i]!,
    tier: str(text.tier, i),
    ltvCents: numbers.ltvCents[i]!,
    historicalLtvCents: numbers.historicalLtvCents[i]!,
    predictedClvCents: nullable(numbers.predictedClvCents[i]!),
    pAlive: nullable(numbers.pAlive[i]!),
    expectedOrders365: nullable(numbers.expectedOrders365[i]!),
    topShare: nullable(numbers.topShare[i]!),
    orders: numbers.orders[i]!,
    ordersLast365: numbers.ordersLast365[i]!,
    revenueCents: numbers.revenueCents[i]!,
    aovCents: numbers.aovCents[i]!,
    firstOrderAt: numbers.firstOrderAt[i]!,
    lastOrderAt: numbers.lastOrderAt[i]!,
    daysSinceLast: numbers.daysSinceLast[i]!,
    tenureDays: numbers.tenureDays[i]!,
    recencyBucket: str(text.recencyBucket, i),
    r: numbers.r[i]!,
    f: numbers.f[i]!,
    m: numbers.m[i]!,
    rfm: str(text.rfm, i),
    rfmSegment: str(text.rfmSegment, i) as RfmSegmentName,
    frequencyTrend: str(text.frequencyTrend, i) as FrequencyTrend,
    churnRisk: numbers.churnRisk[i]!,
    atRisk: (flags[i]! & 1) !== 0,
    lapsed: strings[text.lapsed[i]!] as Lapsed,
    suppressed: (flags[i]! & 2) !== 0,
    reactivationDue: (flags[i]! & 4) !== 0,
    cohort: str(text.cohort, i),
    cohortPercentile: numbers.cohortPercentile[i]!,
    topCategory: strings[text.topCategory[i]!] ?? null,
  });

  return {
    length: n,
    at,
    customerId: (i) => ids[i]!,
    email: (i) => emails[i]!,
    tier: (i) => str(text.tier, i),
    *[Symbol.iterator]() {
      for (let i = 0; i < n; i++) yield at(i);
    },
  };
}
