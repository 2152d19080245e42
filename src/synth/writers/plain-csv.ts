import { stringify } from 'csv-stringify/sync';
import type { SynthLine, SynthOrder } from '../types.ts';
import { ordersOf, type RecordFormatter } from './record-formatter.ts';

/** The columns of tiersync's plain orders CSV (issue 2, input 3). */
export const PLAIN_CSV_COLUMNS = [
  'order_id',
  'customer_id',
  'email',
  'processed_at',
  'total',
  'currency',
  'cancelled',
  'test',
  'product_type',
] as const;

/**
 * tiersync's plain orders CSV: one row per order, `total` the current total after refunds,
 * `customer_id` empty for a guest, `product_type` the type of the order's main line.
 *
 * @example
 * const csv = plainCsvFormatter();
 * csv.header; // "order_id,customer_id,email,processed_at,total,currency,cancelled,test,product_type\n"
 */
export function plainCsvFormatter(): RecordFormatter {
  return {
    header: stringify([[...PLAIN_CSV_COLUMNS]]),
    format: (record) => stringify(ordersOf(record).map(plainRow)),
  };
}

function plainRow(order: SynthOrder): string[] {
  return [
    order.id,
    order.customerId ?? '',
    order.email ?? '',
    order.processedAt,
    order.currentTotalPrice,
    order.currencyCode,
    String(order.cancelledAt !== null),
    String(order.test),
    mainLine(order.lines)?.productType ?? '',
  ];
}

/**
 * The line that carries most of the order's value (unit price × quantity); the first on a tie.
 *
 * @example
 * mainLine([{ unitPrice: '5.00', quantity: 1, ... }, { unitPrice: '4.00', quantity: 2, ... }]); // the second
 */
export function mainLine(lines: readonly SynthLine[]): SynthLine | undefined {
  let best: SynthLine | undefined;
  let bestValue = -1;
  for (const line of lines) {
    const value = Number(line.unitPrice) * line.quantity;
    if (value > bestValue) {
      best = line;
      bestValue = value;
    }
  }
  return best;
}
