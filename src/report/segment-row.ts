import type { SegmentColumns } from '../core/segment-columns.ts';
import type { CustomerSegment } from '../core/segment.ts';
import { csvField } from '../util/csv-row.ts';

/** Column order of `tiersync segment` output (CSV header and JSONL key order). */
export const SEGMENT_COLUMNS = [
  'customer_id', 'email', 'tier', 'ltv_cents', 'top_share', 'orders', 'aov_cents', 'days_since_last',
  'recency_bucket', 'r', 'f', 'm', 'rfm', 'churn_risk', 'at_risk', 'lapsed', 'suppressed',
  'reactivation_due', 'cohort', 'cohort_percentile', 'historical_ltv_cents', 'revenue_cents',
  'orders_365', 'tenure_days', 'first_order_at', 'last_order_at', 'top_category',
  'predicted_clv_cents', 'p_alive', 'expected_orders_365', 'rfm_segment', 'frequency_trend',
] as const;

export type SegmentRow = Record<(typeof SEGMENT_COLUMNS)[number], string | number | boolean | null>;

/**
 * One output row: numbers as numbers, flags as booleans, `lapsed` as null / "high_value" /
 * "low_value", times as ISO 8601.
 *
 * @example
 * JSON.stringify(toSegmentRow(segment))
 */
export function toSegmentRow(s: CustomerSegment): SegmentRow {
  return {
    customer_id: s.customerId,
    email: s.email,
    tier: s.tier,
    ltv_cents: s.ltvCents,
    top_share: s.topShare === null ? null : round(s.topShare, 6),
    orders: s.orders,
    aov_cents: s.aovCents,
    days_since_last: s.daysSinceLast,
    recency_bucket: s.recencyBucket,
    r: s.r,
    f: s.f,
    m: s.m,
    rfm: s.rfm,
    churn_risk: s.churnRisk,
    at_risk: s.atRisk,
    lapsed: s.lapsed,
    suppressed: s.suppressed,
    reactivation_due: s.reactivationDue,
    cohort: s.cohort,
    cohort_percentile: s.cohortPercentile,
    historical_ltv_cents: s.historicalLtvCents,
    revenue_cents: s.revenueCents,
    orders_365: s.ordersLast365,
    tenure_days: s.tenureDays,
    first_order_at: new Date(s.firstOrderAt).toISOString(),
    last_order_at: new Date(s.lastOrderAt).toISOString(),
    top_category: s.topCategory,
    predicted_clv_cents: s.predictedClvCents,
    p_alive: s.pAlive === null ? null : round(s.pAlive, 6),
    expected_orders_365: s.expectedOrders365 === null ? null : round(s.expectedOrders365, 6),
    rfm_segment: s.rfmSegment,
    frequency_trend: s.frequencyTrend,
  };
}

/**
 * The CSV rows of segment columns as UTF-8 bytes, byte for byte the lines of their
 * {@link toSegmentRow} (null empty, text quoted as csvField quotes it), written straight into
 * a buffer: whole numbers digit by digit, the few distinct texts (tiers, buckets, cohorts, …)
 * encoded once, the date part of each timestamp once per day. Making a string per cell and
 * joining them was a third of `tiersync segment` on a million customers.
 *
 * @example
 * const rows = segmentCsvRows(columns);
 * const bytes = rows.write(0, 1000); // rows 0..999
 */
export function segmentCsvRows(columns: SegmentColumns) {
  const { customerId, email, strings, text, numbers: n, flags } = columns.data;
  const cells = strings.map((value) => Buffer.from(value === null ? '' : csvField(value)));
  const days = new Map<number, Buffer>();
  const out = new ByteWriter();

  const cell = (bytes: Uint8Array) => {
    out.bytes(bytes);
    out.byte(COMMA);
  };
  const whole = (value: number) => {
    if (!Number.isNaN(value)) out.number(value);
    out.byte(COMMA);
  };
  const rounded = (value: number) => {
    if (!Number.isNaN(value)) out.millionths(Math.round(value * MILLION));
    out.byte(COMMA);
  };
  const flag = (set: boolean) => {
    out.bytes(set ? TRUE : FALSE);
    out.byte(COMMA);
  };
  /** As Date#toISOString: `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
  const iso = (ms: number) => {
    const day = Math.floor(ms / DAY_MS);
    let prefix = days.get(day);
    if (prefix === undefined) {
      prefix = Buffer.from(new Date(day * DAY_MS).toISOString().slice(0, 11));
      days.set(day, prefix);
    }
    const inDay = ms - day * DAY_MS;
    out.bytes(prefix);
    out.padded(Math.floor(inDay / 3_600_000), 2);
    out.byte(COLON);
    out.padded(Math.floor(inDay / 60_000) % 60, 2);
    out.byte(COLON);
    out.padded(Math.floor(inDay / 1000) % 60, 2);
    out.byte(DOT);
    out.padded(inDay % 1000, 3);
    out.byte(ZULU);
    out.byte(COMMA);
  };
  const timestamp = (ms: number) => {
    // Years 0000-9999 only (others are written with a sign): the reference formatter for the rest.
    if (Number.isInteger(ms) && ms >= MIN_FOUR_DIGIT_YEAR_MS && ms < MAX_FOUR_DIGIT_YEAR_MS) return iso(ms);
    out.ascii(new Date(ms).toISOString());
    out.byte(COMMA);
  };

  const row = (index: number) => {
    const i = columns.source(index);
    const bits = flags[i]!;
    const mail = email[i]!;
    out.text(csvField(customerId[i]!));
    out.byte(COMMA);
    if (mail !== null) out.text(csvField(mail));
    out.byte(COMMA);
    cell(cells[text.tier[i]!]!);
    whole(n.ltvCents[i]!);
    rounded(n.topShare[i]!);
    whole(n.orders[i]!);
    whole(n.aovCents[i]!);
    whole(n.daysSinceLast[i]!);
    cell(cells[text.recencyBucket[i]!]!);
    whole(n.r[i]!);
    whole(n.f[i]!);
    whole(n.m[i]!);
    cell(cells[text.rfm[i]!]!);
    whole(n.churnRisk[i]!);
    flag((bits & 1) !== 0);
    cell(cells[text.lapsed[i]!]!);
    flag((bits & 2) !== 0);
    flag((bits & 4) !== 0);
    cell(cells[text.cohort[i]!]!);
    whole(n.cohortPercentile[i]!);
    whole(n.historicalLtvCents[i]!);
    whole(n.revenueCents[i]!);
    whole(n.ordersLast365[i]!);
    whole(n.tenureDays[i]!);
    timestamp(n.firstOrderAt[i]!);
    timestamp(n.lastOrderAt[i]!);
    cell(cells[text.topCategory[i]!]!);
    whole(n.predictedClvCents[i]!);
    rounded(n.pAlive[i]!);
    rounded(n.expectedOrders365[i]!);
    cell(cells[text.rfmSegment[i]!]!);
    out.bytes(cells[text.frequencyTrend[i]!]!);
    out.byte(NEWLINE);
  };

  return {
    /** The rows of positions from … to − 1, as one buffer of their own. */
    write(from: number, to: number): Buffer {
      out.start();
      for (let index = from; index < to; index++) row(index);
      return out.finish();
    },
  };
}

const COMMA = 0x2c;
const COLON = 0x3a;
const DOT = 0x2e;
const ZULU = 0x5a;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const MINUS = 0x2d;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const DAY_MS = 86_400_000;
const MILLION = 1_000_000;
/** Below 10¹⁵ millionths a value has at most 15 significant digits (see ByteWriter#millionths). */
const MAX_EXACT_MILLIONTHS = 1e15;
const MIN_FOUR_DIGIT_YEAR_MS = new Date('0000-01-01T00:00:00.000Z').getTime();
const MAX_FOUR_DIGIT_YEAR_MS = Date.UTC(10_000, 0, 1);

/** A growable byte buffer for {@link segmentCsvRows}. */
class ByteWriter {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private position = 0;

  start(): void {
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    this.position = 0;
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.position++] = value;
  }

  bytes(values: Uint8Array): void {
    this.room(values.length);
    for (let i = 0; i < values.length; i++) this.buffer[this.position++] = values[i]!;
  }

  /** Text known to be ASCII (a number's or a date's). */
  ascii(value: string): void {
    this.room(value.length);
    for (let i = 0; i < value.length; i++) this.buffer[this.position++] = value.charCodeAt(i);
  }

  /** Any text, as UTF-8. */
  text(value: string): void {
    this.room(value.length * 3);
    this.position += this.buffer.write(value, this.position, 'utf8');
  }

  /** A number as String(value) writes it; safe integers digit by digit. */
  number(value: number): void {
    if (!Number.isSafeInteger(value)) return this.ascii(String(value));
    let rest = value;
    if (rest < 0) {
      this.byte(MINUS);
      rest = -rest;
    }
    let digits = 1;
    for (let scale = 10; scale <= rest; scale *= 10) digits++;
    this.padded(rest, digits);
  }

  /**
   * `String(millionths / 1e6)`, as {@link round}(value, 6) is written, without the float
   * printing (a third of the writing when the model's two columns are on): the quotient is the
   * double nearest the decimal millionths·10⁻⁶, and with at most 15 significant digits no other
   * decimal as short reaches that double, so its digits, trailing zeros dropped, are what
   * String prints. Larger values, and −0 (printed "0" either way), go through String.
   */
  millionths(millionths: number): void {
    if (!(millionths > 0 && millionths < MAX_EXACT_MILLIONTHS)) return this.ascii(String(millionths / MILLION));
    const whole = Math.floor(millionths / MILLION);
    let fraction = millionths - whole * MILLION;
    this.number(whole);
    if (fraction === 0) return;
    let digits = 6;
    while (fraction % 10 === 0) {
      fraction /= 10;
      digits--;
    }
    this.byte(DOT);
    this.padded(fraction, digits);
  }

  /** A non-negative whole number in exactly `digits` digits, zero-padded. */
  padded(value: number, digits: number): void {
    this.room(digits);
    let rest = value;
    for (let i = this.position + digits - 1; i >= this.position; i--) {
      this.buffer[i] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.position += digits;
  }

  private room(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes));
    this.buffer.copy(bigger, 0, 0, this.position);
    this.buffer = bigger;
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
