import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Order } from '../../src/core/order.ts';

export const CDNOW_DIR = new URL('../fixtures/cdnow/', import.meta.url);
export const CALIBRATION_END = new Date('1997-09-30T00:00:00Z');
export const HOLDOUT_END = new Date('1998-06-30T00:00:00Z');

/** The published estimates (Fader, Hardie & Lee 2005; `lifetimes` docs for Gamma-Gamma). */
export const PUBLISHED = {
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  logLikelihood: -9582.4,
  gammaGamma: { p: 6.25, q: 3.74, v: 15.45 },
  repeatCustomers: 946,
  customers: 2357,
} as const;

/** The CDNOW sample's orders (plain CSV: dollars, dates at 00:00 UTC) as Orders. */
export function cdnowOrders(): Order[] {
  const rows: string[][] = parse(readFileSync(new URL('orders_sample.csv', CDNOW_DIR), 'utf8'), { from_line: 2 });
  return rows.map(([id, customerId, processedAt, total]) => ({
    id: id!,
    customerId: customerId!,
    email: null,
    processedAt: Date.parse(processedAt!),
    totalCents: Math.round(Number(total) * 100),
    currency: 'USD',
    cancelled: false,
    test: false,
    lines: [],
  }));
}

/** Rows of `cdnow_customers_summary_with_transactions.csv`: ID, x, t_x, T, zbar as numbers. */
export function cdnowSummaryRows(): { id: string; x: number; tx: number; T: number; zbar: number }[] {
  const rows: string[][] = parse(
    readFileSync(new URL('cdnow_customers_summary_with_transactions.csv', CDNOW_DIR), 'utf8'),
    { from_line: 2 },
  );
  return rows.map(([id, x, tx, T, zbar]) => ({ id: id!, x: Number(x), tx: Number(tx), T: Number(T), zbar: Number(zbar) }));
}

/** |actual / expected − 1| ≤ 1%. */
export function withinOnePercent(actual: number, expected: number): boolean {
  return Math.abs(actual / expected - 1) <= 0.01;
}
