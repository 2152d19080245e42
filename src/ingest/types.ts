import type { Order } from '../core/order.ts';

export type OrderFileFormat = 'bulk-jsonl' | 'shopify-csv' | 'plain-csv';

export interface SkippedRow {
  /** 1-based line of the file where the bad record starts. */
  readonly line: number;
  /** What is wrong with this row, naming the field and value. */
  readonly reason: string;
  /** The kind of problem, shared by every row with it: what the summary counts by. */
  readonly kind: string;
  /** The record as it appears in the file (a CSV record re-joined, or the JSONL line). */
  readonly raw: string;
}

export interface ReadOrdersSummary {
  readonly format: OrderFileFormat;
  /** Records read (orders, or CSV rows, or JSONL lines). */
  readonly rows: number;
  readonly orders: number;
  /** The first skipped rows (at most 100 kept); `skippedCount` has them all. */
  readonly skipped: SkippedRow[];
  readonly skippedCount: number;
  /** Skipped rows by kind, every one counted, most frequent first. */
  readonly skippedByKind: Record<string, number>;
}

export interface ReadOrdersOptions {
  /** Shop currency for minor units when the file does not say (default USD). */
  readonly currency?: string;
  /** Called with every skipped row as it is found (`--rejects FILE`), however many. */
  readonly onReject?: (row: SkippedRow) => void;
}

export type OrderSink = (order: Order) => void;

/** Collects skipped rows: counts them all by kind, keeps the first 100, hands each to `onReject`. */
export class SkipLog {
  readonly kept: SkippedRow[] = [];
  count = 0;
  private readonly kinds = new Map<string, number>();

  constructor(private readonly onReject?: (row: SkippedRow) => void) {}

  add(line: number, kind: string, reason: string, raw: string): void {
    this.count++;
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
    const row = { line, kind, reason, raw };
    if (this.kept.length < 100) this.kept.push(row);
    this.onReject?.(row);
  }

  /** Records the row as skipped and returns null, for `return skipped.skip(...)` in readers. */
  skip(line: number, kind: string, reason: string, raw: string): null {
    this.add(line, kind, reason, raw);
    return null;
  }

  byKind(): Record<string, number> {
    return Object.fromEntries([...this.kinds].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  }

  summary(format: OrderFileFormat, rows: number, orders: number): ReadOrdersSummary {
    return { format, rows, orders, skipped: this.kept, skippedCount: this.count, skippedByKind: this.byKind() };
  }
}
