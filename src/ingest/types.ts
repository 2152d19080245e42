import type { Order } from '../core/order.ts';

export type OrderFileFormat = 'bulk-jsonl' | 'shopify-csv' | 'plain-csv';

export interface SkippedRow {
  /** 1-based line of the file where the bad record starts. */
  readonly line: number;
  readonly reason: string;
}

export interface ReadOrdersSummary {
  readonly format: OrderFileFormat;
  /** Records read (orders, or CSV rows, or JSONL lines). */
  readonly rows: number;
  readonly orders: number;
  /** The first skipped rows (at most 100 kept); `skippedCount` has them all. */
  readonly skipped: SkippedRow[];
  readonly skippedCount: number;
}

export interface ReadOrdersOptions {
  /** Shop currency for minor units when the file does not say (default USD). */
  readonly currency?: string;
}

export type OrderSink = (order: Order) => void;

/** Collects skipped rows, keeping the first 100 for the report and counting all. */
export class SkipLog {
  readonly kept: SkippedRow[] = [];
  count = 0;

  add(line: number, reason: string): void {
    this.count++;
    if (this.kept.length < 100) this.kept.push({ line, reason });
  }

  /** Records the row as skipped and returns null, for `return skipped.skip(...)` in readers. */
  skip(line: number, reason: string): null {
    this.add(line, reason);
    return null;
  }
}
