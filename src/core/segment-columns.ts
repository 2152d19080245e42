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
  /** The same segments sorted by customer id in plain string order (the order the store pages customers in). */
  inPlainIdOrder(): SegmentColumns;
  /** The raw columns, for readers that format many rows (segment-row.ts). */
  readonly data: SegmentColumnData;
  /** The position in `data` of the segment at `index`. */
  source(index: number): number;
}

const SEGMENT_TEXT_FIELDS = ['tier', 'recencyBucket', 'rfm', 'cohort', 'topCategory', 'lapsed', 'rfmSegment', 'frequencyTrend'] as const;
const SEGMENT_NUMBER_FIELDS = [
  'ltvCents', 'historicalLtvCents', 'predictedClvCents', 'pAlive', 'expectedOrders365', 'topShare', 'orders', 'ordersLast365', 'revenueCents',
  'aovCents', 'firstOrderAt', 'lastOrderAt', 'daysSinceLast', 'tenureDays', 'churnRisk', 'cohortPercentile', 'r', 'f', 'm',
] as const;

/** A numeric column: any typed array (a column of the facts is shared, not copied); NaN is null. */
export type NumberColumn = Float64Array | Int32Array | Uint8Array;

/** The raw columns of {@link segmentColumnsOf}, position i the i-th customer. */
export interface SegmentColumnData {
  readonly length: number;
  readonly customerId: readonly string[];
  readonly email: readonly (string | null)[];
  /** The table the text codes point into. */
  readonly strings: readonly (string | null)[];
  readonly text: Readonly<Record<(typeof SEGMENT_TEXT_FIELDS)[number], Uint32Array>>;
  readonly numbers: Readonly<Record<(typeof SEGMENT_NUMBER_FIELDS)[number], NumberColumn>>;
  /** Bit 0 at risk, bit 1 suppressed, bit 2 reactivation due. */
  readonly flags: Uint8Array;
}

/** Interns strings into one table of codes, for {@link SegmentColumnData}. */
export class StringTable {
  readonly strings: (string | null)[] = [];
  private readonly codes = new Map<string | null, number>();

  code(value: string | null): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.strings.push(value) - 1;
      this.codes.set(value, code);
    }
    return code;
  }
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
  const table = new StringTable();
  const text = Object.fromEntries(SEGMENT_TEXT_FIELDS.map((field) => [field, new Uint32Array(n)])) as Record<(typeof SEGMENT_TEXT_FIELDS)[number], Uint32Array>;
  const numbers = Object.fromEntries(SEGMENT_NUMBER_FIELDS.map((field) => [field, new Float64Array(n)])) as Record<(typeof SEGMENT_NUMBER_FIELDS)[number], Float64Array>;
  const flags = new Uint8Array(n);
  segments.forEach((s, i) => {
    for (const field of SEGMENT_TEXT_FIELDS) text[field][i] = table.code(s[field]);
    for (const field of SEGMENT_NUMBER_FIELDS) numbers[field][i] = s[field] ?? Number.NaN;
    flags[i] = (s.atRisk ? 1 : 0) | (s.suppressed ? 2 : 0) | (s.reactivationDue ? 4 : 0);
  });
  const data = { length: n, customerId: segments.map((s) => s.customerId), email: segments.map((s) => s.email), strings: table.strings, text, numbers, flags };
  return segmentColumnsOf(data).inPlainIdOrder();
}

/**
 * Segment columns over raw column data, in the data's order (or `order[i]` for position i).
 *
 * @example
 * segmentColumnsOf(data).at(0).customerId;
 */
export function segmentColumnsOf(data: SegmentColumnData, order?: Int32Array): SegmentColumns {
  const { customerId: ids, email: emails, strings, text, numbers, flags } = data;
  const nullable = (value: number): number | null => (Number.isNaN(value) ? null : value);
  const str = (codesOf: Uint32Array, i: number) => strings[codesOf[i]!]!;
  const source = order ? (i: number) => order[i]! : (i: number) => i;

  const row = (i: number): CustomerSegment => ({
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

  const n = data.length;
  const at = (i: number) => row(source(i));
  return {
    length: n,
    at,
    customerId: (i) => ids[source(i)]!,
    email: (i) => emails[source(i)]!,
    tier: (i) => str(text.tier, source(i)),
    data,
    source,
    inPlainIdOrder: () => {
      const plain = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => {
        const x = ids[a]!;
        const y = ids[b]!;
        return x < y ? -1 : x > y ? 1 : 0;
      });
      return segmentColumnsOf(data, plain);
    },
    *[Symbol.iterator]() {
      for (let i = 0; i < n; i++) yield at(i);
    },
  };
}
