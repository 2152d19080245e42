/**
 * One order as the segmentation core sees it: normalised from any source (a Shopify bulk
 * export, the admin CSV export, a plain CSV, the order store).
 *
 * Money is integer minor units of the shop currency; times are epoch milliseconds (UTC).
 */
export interface Order {
  /** Order id as the source gives it (a Shopify GID, an order name, a plain id). */
  readonly id: string;
  /** Shopify customer id (GID or numeric string); null for a guest order. */
  readonly customerId: string | null;
  readonly email: string | null;
  /** When the order was placed (processedAt, else createdAt), epoch ms UTC. */
  readonly processedAt: number;
  /** Current total after refunds and edits, in minor units of the shop currency. */
  readonly totalCents: number;
  readonly currency: string | null;
  readonly cancelled: boolean;
  readonly test: boolean;
  readonly lines: readonly OrderLine[];
}

/**
 * What the facts, the model and the as-of check read of an order (no id, no currency): what a
 * parsing worker hands the main thread (ingest/parallel/).
 */
export type FactsOrder = Pick<Order, 'customerId' | 'email' | 'processedAt' | 'totalCents' | 'cancelled' | 'test' | 'lines'>;

export interface OrderLine {
  /** Product type (Shopify `productType`), used for the top category; empty when unknown. */
  readonly productType: string;
  readonly quantity: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** docs/DESIGN.md "Order facts": test and cancelled orders never count; guests are counted apart. */
export function isCountableOrder(order: Pick<Order, 'test' | 'cancelled'>): boolean {
  return !order.test && !order.cancelled;
}
