import type { SynthOrder } from '../types.ts';
import { ordersOf, type RecordFormatter } from './record-formatter.ts';

/**
 * The JSONL a Shopify bulk operation writes for `ordersBulkQuery` (interfaces.md #6): one
 * object per order, then one per line item pointing at it with `__parentId`; nested
 * connections are flattened this way by Shopify.
 * https://shopify.dev/docs/api/usage/bulk-operations/queries
 *
 * @example
 * bulkJsonlFormatter().format({ kind: 'guest-order', order });
 * // '{"id":"gid://shopify/Order/5100000001",...,"customer":null}\n{"id":"gid://shopify/LineItem/…","quantity":1,"product":{"productType":"Shoes"},"__parentId":"gid://shopify/Order/5100000001"}\n'
 */
export function bulkJsonlFormatter(): RecordFormatter {
  return {
    header: '',
    format(record) {
      const customer =
        record.kind === 'customer'
          ? JSON.stringify({
              id: `gid://shopify/Customer/${record.customer.id}`,
              defaultEmailAddress: record.customer.email === null ? null : { emailAddress: record.customer.email },
            })
          : 'null';
      let text = '';
      for (const order of ordersOf(record)) text += orderLines(order, customer);
      return text;
    },
  };
}

/**
 * The order's line and its line items' lines. Built as text because JSON.stringify of whole
 * objects was a third of the run at a million customers; every free-text value still goes
 * through JSON.stringify, the rest are ids, ISO times, decimals and currency codes.
 */
function orderLines(order: SynthOrder, customerJson: string): string {
  const orderGid = `gid://shopify/Order/${order.id}`;
  const cancelledAt = order.cancelledAt === null ? 'null' : `"${order.cancelledAt}"`;
  let text =
    `{"id":"${orderGid}","name":${JSON.stringify(order.name)},"email":${JSON.stringify(order.email)},` +
    `"processedAt":"${order.processedAt}","createdAt":"${order.createdAt}","updatedAt":"${order.updatedAt}",` +
    `"cancelledAt":${cancelledAt},"test":${order.test},` +
    `"currentTotalPriceSet":{"shopMoney":{"amount":"${order.currentTotalPrice}","currencyCode":"${order.currencyCode}"}},` +
    `"customer":${customerJson}}\n`;
  for (const line of order.lines) {
    text +=
      `{"id":"gid://shopify/LineItem/${line.id}","quantity":${line.quantity},` +
      `"product":{"productType":${JSON.stringify(line.productType)}},"__parentId":"${orderGid}"}\n`;
  }
  return text;
}
