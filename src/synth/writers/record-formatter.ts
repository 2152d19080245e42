import type { ShopRecord } from '../types.ts';

/** Turns shop records into the text of one order-file format. */
export interface RecordFormatter {
  /** Text written once before the first record ('' when the format has no header). */
  readonly header: string;
  /** The complete lines (each ending in a newline) for one record. */
  format(record: ShopRecord): string;
}

/** The order-file formats `tiersync segment` reads (issue 2, "Accepted inputs"). */
export const ORDER_FILE_FORMATS = ['plain-csv', 'shopify-csv', 'bulk-jsonl'] as const;
export type OrderFileFormat = (typeof ORDER_FILE_FORMATS)[number];

/**
 * The orders of a record, whatever its kind.
 *
 * @example
 * ordersOf({ kind: 'guest-order', order }); // [order]
 */
export function ordersOf(record: ShopRecord) {
  return record.kind === 'customer' ? record.orders : [record.order];
}
