import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { generateShop } from '../../../src/synth/generate-shop.ts';
import type { ShopRecord, SynthOrder } from '../../../src/synth/types.ts';
import { PLAIN_CSV_COLUMNS } from '../../../src/synth/writers/plain-csv.ts';
import type { OrderFileFormat } from '../../../src/synth/writers/record-formatter.ts';
import { SHOPIFY_EXPORT_COLUMNS } from '../../../src/synth/writers/shopify-csv.ts';
import { writeShop } from '../../../src/synth/writers/write-shop.ts';

const asOf = new Date('2026-01-01T00:00:00Z');
const records: ShopRecord[] = [...generateShop({ seed: 77, customers: 800, asOf })];
const orders: SynthOrder[] = records.flatMap((record) => (record.kind === 'customer' ? record.orders : [record.order]));
const customerByOrder = new Map(
  records.flatMap((record) => (record.kind === 'customer' ? record.orders.map((order) => [order.id, record.customer] as const) : [])),
);

/** A writable that keeps what it is given; with `slow`, each chunk is acknowledged a tick later. */
function collector(options: { highWaterMark?: number; slow?: boolean } = {}) {
  const chunks: Buffer[] = [];
  let largestBuffered = 0;
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      largestBuffered = Math.max(largestBuffered, stream.writableLength);
      chunks.push(chunk);
      if (options.slow) setImmediate(callback);
      else callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8'), largestBuffered: () => largestBuffered };
}

async function written(format: OrderFileFormat, timeZone?: string) {
  const out = collector();
  const summary = await writeShop(records, out.stream, format, timeZone ? { timeZone } : {});
  return { text: out.text(), summary };
}

describe('writeShop plain-csv', () => {
  it('writes one row per order with the current total, empty customer_id for guests and the main line type', async () => {
    const { text, summary } = await written('plain-csv');
    const rows: Record<string, string>[] = parse(text, { columns: true });
    expect(Object.keys(rows[0] ?? {})).toEqual([...PLAIN_CSV_COLUMNS]);
    expect(rows).toHaveLength(orders.length);
    expect(summary.orders).toBe(orders.length);
    expect(summary.bytes).toBe(Buffer.byteLength(text));
    rows.forEach((row, i) => {
      const order = orders[i] as SynthOrder;
      expect(row.order_id).toBe(order.id);
      expect(row.customer_id).toBe(order.customerId ?? '');
      expect(row.email).toBe(order.email ?? '');
      expect(row.total).toBe(order.currentTotalPrice);
      expect(row.cancelled).toBe(String(order.cancelledAt !== null));
      expect(row.test).toBe(String(order.test));
    });
    const guestRows = rows.filter((row) => row.customer_id === '');
    expect(guestRows.length).toBe(summary.guestOrders);
    expect(guestRows.length).toBeGreaterThan(0);
  });

  it('picks the line with the largest unit price × quantity as the product type', async () => {
    const { text } = await written('plain-csv');
    const rows: Record<string, string>[] = parse(text, { columns: true });
    const twoLines = orders.findIndex(
      (order) => order.lines.length === 2 && Number(order.lines[1]?.unitPrice) * (order.lines[1]?.quantity ?? 0) > Number(order.lines[0]?.unitPrice) * (order.lines[0]?.quantity ?? 0),
    );
    expect(twoLines).toBeGreaterThanOrEqual(0);
    expect(rows[twoLines]?.product_type).toBe(orders[twoLines]?.lines[1]?.productType);
  });
});

describe('writeShop shopify-csv', () => {
  it('writes the export header and one row per line item, order columns on the first row only', async () => {
    const { text, summary } = await written('shopify-csv', 'America/New_York');
    const rows: string[][] = parse(text);
    expect(rows[0]).toEqual([...SHOPIFY_EXPORT_COLUMNS]);
    const body = rows.slice(1);
    expect(body).toHaveLength(summary.lineItems);
    const column = (name: string) => SHOPIFY_EXPORT_COLUMNS.indexOf(name as never);
    expect(SHOPIFY_EXPORT_COLUMNS).not.toContain('Lineitem product type');
    let cursor = 0;
    for (const order of orders) {
      const orderRows = body.slice(cursor, cursor + order.lines.length);
      cursor += order.lines.length;
      const first = orderRows[0] as string[];
      expect(orderRows.every((row) => row[column('Name')] === order.name)).toBe(true);
      expect(orderRows.every((row) => row[column('Email')] === (order.email ?? ''))).toBe(true);
      expect(first[column('Total')]).toBe(order.totalPrice);
      expect(first[column('Refunded Amount')]).toBe(order.totalRefunded);
      expect(first[column('Id')]).toBe(order.id);
      expect(first[column('Cancelled at')] !== '').toBe(order.cancelledAt !== null);
      expect(orderRows.map((row) => Number(row[column('Lineitem quantity')]))).toEqual(order.lines.map((line) => line.quantity));
      expect(orderRows.map((row) => row[column('Lineitem name')])).toEqual(order.lines.map((line) => line.title));
      for (const later of orderRows.slice(1)) {
        expect([later[column('Total')], later[column('Created at')], later[column('Financial Status')], later[column('Id')]]).toEqual(['', '', '', '']);
      }
    }
  });

  it('writes shop-local dates with the offset, and financial statuses that match the refunds', async () => {
    const { text } = await written('shopify-csv', 'America/New_York');
    const rows: Record<string, string>[] = parse(text, { columns: true });
    const firstRows = rows.filter((row) => row.Total !== '');
    expect(firstRows).toHaveLength(orders.length);
    const statuses = new Set<string>();
    firstRows.forEach((row, i) => {
      const order = orders[i] as SynthOrder;
      expect(row['Created at']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} -0[45]00$/);
      const local = Date.parse(`${row['Created at']?.slice(0, 10)}T${row['Created at']?.slice(11, 19)}${row['Created at']?.slice(20, 23)}:00`);
      expect(local).toBe(Date.parse(order.createdAt));
      statuses.add(row['Financial Status'] as string);
      if (row['Financial Status'] === 'paid') expect(row['Refunded Amount']).toBe('0.00');
      if (row['Financial Status'] === 'refunded') expect(row['Refunded Amount']).toBe(row.Total);
      expect(row['Payment Method']).toBe(order.test ? 'bogus' : 'Shopify Payments');
      const customer = customerByOrder.get(order.id);
      expect(row['Billing Name']).toBe(customer ? `${customer.firstName} ${customer.lastName}` : '');
    });
    expect([...statuses].sort()).toEqual(['paid', 'partially_refunded', 'refunded', 'voided']);
  });
});

describe('writeShop shopify-csv time zones', () => {
  const euroShop = () => generateShop({ seed: 4, customers: 100, asOf, currencyCode: 'EUR' });
  const createdAt = async (timeZone?: string) => {
    const out = collector();
    await writeShop(euroShop(), out.stream, 'shopify-csv', timeZone ? { timeZone } : {});
    const rows: Record<string, string>[] = parse(out.text(), { columns: true });
    return rows.map((row) => row['Created at'] as string).filter((value) => value !== '');
  };

  it('uses the shop currency\'s usual zone by default (Berlin for EUR: +0100 in winter, +0200 in summer)', async () => {
    const offsets = new Set((await createdAt()).map((value) => value.slice(-5)));
    expect([...offsets].sort()).toEqual(['+0100', '+0200']);
  });

  it('uses the given zone when there is one', async () => {
    const offsets = new Set((await createdAt('Asia/Tokyo')).map((value) => value.slice(-5)));
    expect([...offsets]).toEqual(['+0900']);
  });
});

describe('writeShop bulk-jsonl', () => {
  it('writes each order then its line items pointing at it with __parentId', async () => {
    const { text, summary } = await written('bulk-jsonl');
    const objects = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects).toHaveLength(summary.orders + summary.lineItems);
    let currentOrder: Record<string, unknown> | undefined;
    let orderIndex = -1;
    let lineIndex = 0;
    for (const object of objects) {
      if (!('__parentId' in object)) {
        currentOrder = object;
        orderIndex += 1;
        lineIndex = 0;
        const order = orders[orderIndex] as SynthOrder;
        expect(Object.keys(object)).toEqual([
          'id', 'name', 'email', 'processedAt', 'createdAt', 'updatedAt', 'cancelledAt', 'test', 'currentTotalPriceSet', 'customer',
        ]);
        expect(object.id).toBe(`gid://shopify/Order/${order.id}`);
        expect(object.currentTotalPriceSet).toEqual({ shopMoney: { amount: order.currentTotalPrice, currencyCode: 'USD' } });
        const customer = customerByOrder.get(order.id);
        expect(object.customer).toEqual(
          customer
            ? { id: `gid://shopify/Customer/${customer.id}`, defaultEmailAddress: customer.email === null ? null : { emailAddress: customer.email } }
            : null,
        );
      } else {
        const line = (orders[orderIndex] as SynthOrder).lines[lineIndex++];
        expect(object).toEqual({
          id: `gid://shopify/LineItem/${line?.id}`,
          quantity: line?.quantity,
          product: { productType: line?.productType },
          __parentId: currentOrder?.id,
        });
      }
    }
    expect(orderIndex + 1).toBe(orders.length);
  });
});

describe('writeShop streaming', () => {
  it('is byte for byte the same for the same seed', async () => {
    const again = async () => {
      const out = collector();
      await writeShop(generateShop({ seed: 9, customers: 300, asOf }), out.stream, 'shopify-csv');
      return out.text();
    };
    expect(await again()).toBe(await again());
  });

  it('waits for drain: a slow stream never holds more than one chunk in its buffer', async () => {
    const out = collector({ highWaterMark: 1024, slow: true });
    const summary = await writeShop(generateShop({ seed: 3, customers: 2000, asOf }), out.stream, 'bulk-jsonl');
    expect(summary.bytes).toBeGreaterThan(20 * 65_536);
    expect(Buffer.byteLength(out.text())).toBe(summary.bytes);
    // One chunk is at most 64 Ki characters plus one record (a few KB) — far below the file.
    expect(out.largestBuffered()).toBeLessThan(4 * 65_536);
  });

  it('fails when the stream fails instead of hanging', async () => {
    const failing = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    failing.on('error', () => undefined);
    await expect(writeShop(generateShop({ seed: 3, customers: 2000, asOf }), failing, 'plain-csv')).rejects.toThrow('disk full');
  });

  it('fails when the stream was closed before writing', async () => {
    const closed = collector();
    closed.stream.destroy();
    await expect(writeShop(generateShop({ seed: 3, customers: 2000, asOf }), closed.stream, 'plain-csv')).rejects.toThrow(
      'the output stream was closed before the shop was written',
    );
  });
});
