import { parseMoneyToMinorUnits } from '../core/money.ts';
import type { Order } from '../core/order.ts';
import { UserError } from '../cli/user-error.ts';
import { csvRecords, headerIndex } from './csv-records.ts';
import { cleanEmail, parseFlag, parseTimestamp } from './parse-fields.ts';
import { SkipLog, type OrderSink, type ReadOrdersOptions, type ReadOrdersSummary } from './types.ts';

const REQUIRED = ['customer_id', 'processed_at', 'total'] as const;

/**
 * Reads tiersync's plain orders CSV: one row per order with at least `customer_id`,
 * `processed_at`, `total` (optional `order_id`, `email`, `currency`, `cancelled`, `test`,
 * `product_type`, `quantity`). An empty `customer_id` is a guest order. `total` is the
 * current total (after refunds) in major units.
 */
export async function readPlainCsv(path: string, onOrder: OrderSink, options: ReadOrdersOptions = {}): Promise<ReadOrdersSummary> {
  const skipped = new SkipLog();
  let columns: Map<string, number> | undefined;
  let rows = 0;
  let orders = 0;
  for await (const { fields, line } of csvRecords(path)) {
    if (!columns) {
      columns = headerIndex(fields);
      const missing = REQUIRED.filter((name) => !columns!.has(name));
      if (missing.length) throw new UserError(`${path}: the header lacks ${missing.join(', ')} (a plain orders CSV needs customer_id, processed_at, total)`);
      continue;
    }
    rows++;
    const get = (name: string) => {
      const index = columns!.get(name);
      return index === undefined ? undefined : fields[index]?.trim();
    };
    const order = toOrder(get, line, options, skipped);
    if (order) {
      orders++;
      onOrder(order);
    }
  }
  return { format: 'plain-csv', rows, orders, skipped: skipped.kept, skippedCount: skipped.count };
}

function toOrder(get: (name: string) => string | undefined, line: number, options: ReadOrdersOptions, skipped: SkipLog): Order | null {
  const skip = (reason: string) => {
    skipped.add(line, reason);
    return null;
  };
  const processedText = get('processed_at') ?? '';
  const processedAt = parseTimestamp(processedText);
  if (processedAt === null) return skip(`processed_at "${processedText}" is not a date (use ISO 8601, e.g. 2024-05-01T10:00:00Z)`);
  const currency = get('currency') || options.currency || 'USD';
  const totalText = get('total') ?? '';
  const totalCents = parseMoneyToMinorUnits(totalText, currency);
  if (totalCents === null) return skip(`total "${totalText}" is not an amount`);
  if (totalCents < 0) return skip(`total "${totalText}" is negative`);
  const cancelled = parseFlag(get('cancelled'));
  const test = parseFlag(get('test'));
  if (cancelled === null || test === null) return skip('cancelled/test must be true or false');
  const quantityText = get('quantity');
  const quantity = quantityText ? Number(quantityText) : 1;
  if (!Number.isInteger(quantity) || quantity < 0) return skip(`quantity "${quantityText}" is not a whole number`);
  const productType = get('product_type') ?? '';
  return {
    id: get('order_id') || `line-${line}`,
    customerId: get('customer_id') || null,
    email: cleanEmail(get('email')),
    processedAt,
    totalCents,
    currency,
    cancelled,
    test,
    lines: productType ? [{ productType, quantity }] : [],
  };
}
