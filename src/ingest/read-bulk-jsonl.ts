import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { parseMoneyToMinorUnits } from '../core/money.ts';
import type { Order, OrderLine } from '../core/order.ts';
import { PARENT_WINDOW, ParentWindow, type ParentEntry } from '../shopify/bulk/parent-window.ts';
import { cleanEmail, explainBadTimestamp, parseTimestamp } from './parse-fields.ts';
import { SkipLog, type OrderSink, type ReadOrdersOptions, type ReadOrdersSummary } from './types.ts';

/** An order line of the bulk JSONL (interface of `ordersBulkQuery`). */
const orderSchema = z.object({
  id: z.string().startsWith('gid://shopify/Order/'),
  email: z.string().nullish(),
  processedAt: z.string().nullish(),
  createdAt: z.string().nullish(),
  cancelledAt: z.string().nullish(),
  test: z.boolean().nullish(),
  currentTotalPriceSet: z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) }),
  customer: z.object({ id: z.string(), defaultEmailAddress: z.object({ emailAddress: z.string().nullish() }).nullish() }).nullish(),
});

const lineItemSchema = z.object({
  __parentId: z.string(),
  quantity: z.number().int().nonnegative(),
  product: z.object({ productType: z.string().nullish() }).nullish(),
});

/**
 * Reads the JSONL a Shopify bulk operation writes for `ordersBulkQuery`: order objects, and
 * line items carrying `__parentId`. Streams line by line.
 */
export async function readBulkJsonl(path: string, onOrder: OrderSink, options: ReadOrdersOptions = {}): Promise<ReadOrdersSummary> {
  const skipped = new SkipLog(options.onReject);
  const window = new ParentWindow<Omit<Order, 'lines'>, OrderLine>(PARENT_WINDOW);
  const reject = (kind: string, reason: string, text: string) => skipped.add(lineNumber, kind, reason, text);
  let rows = 0;
  let orders = 0;
  let lineNumber = 0;

  const emit = (entry: ParentEntry<Omit<Order, 'lines'>, OrderLine>) => {
    orders++;
    onOrder({ ...entry.parent, lines: entry.children });
  };
  const input = createInterface({ input: createReadStream(path, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const text of input) {
    lineNumber++;
    if (!text.trim()) continue;
    rows++;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      reject('not valid JSON', 'not valid JSON', text);
      continue;
    }
    if (typeof json === 'object' && json !== null && '__parentId' in json) {
      const line = lineItemSchema.safeParse(json);
      if (!line.success) {
        reject('line item is malformed', `line item: ${describe(line.error)}`, text);
        continue;
      }
      const attached = window.attach(line.data.__parentId, { productType: line.data.product?.productType ?? '', quantity: line.data.quantity });
      if (!attached) reject('line item without its order', `line item of ${line.data.__parentId}, which is not in the file or came too far after it`, text);
      continue;
    }
    const order = toOrder(json, options);
    if ('kind' in order) {
      reject(order.kind, order.reason, text);
      continue;
    }
    const evicted = window.add(order.id, order);
    if (evicted) emit(evicted);
  }
  for (const entry of window.drain()) emit(entry);
  return skipped.summary('bulk-jsonl', rows, orders);
}

/** Validates one order object; returns what is wrong when it is unusable. */
function toOrder(json: unknown, options: ReadOrdersOptions): Omit<Order, 'lines'> | { kind: string; reason: string } {
  const parsed = orderSchema.safeParse(json);
  if (!parsed.success) return { kind: 'order is malformed', reason: `order: ${describe(parsed.error)}` };
  const order = parsed.data;
  const when = order.processedAt ?? order.createdAt ?? '';
  const processedAt = parseTimestamp(when);
  if (processedAt === null) return { kind: 'processedAt is not a date', reason: `order ${order.id}: processedAt "${when}" ${explainBadTimestamp(when)}` };
  const money = order.currentTotalPriceSet.shopMoney;
  const currency = money.currencyCode || options.currency || 'USD';
  const totalCents = parseMoneyToMinorUnits(money.amount, currency);
  if (totalCents === null) return { kind: 'amount is not a number', reason: `order ${order.id}: amount "${money.amount}" is not a number` };
  return {
    id: order.id,
    customerId: order.customer?.id ?? null,
    email: cleanEmail(order.email) ?? cleanEmail(order.customer?.defaultEmailAddress?.emailAddress),
    processedAt,
    totalCents: Math.max(0, totalCents),
    currency,
    cancelled: Boolean(order.cancelledAt),
    test: order.test ?? false,
  };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(object)'}: ${issue.message}`;
}
