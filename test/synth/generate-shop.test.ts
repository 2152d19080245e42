import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/core/order.ts';
import { generateShop } from '../../src/synth/generate-shop.ts';
import type { ShopRecord, SynthOrder } from '../../src/synth/types.ts';

const asOf = new Date('2026-01-01T00:00:00Z');

function shop(seed: number, customers: number, currencyCode?: string): ShopRecord[] {
  return [...generateShop({ seed, customers, asOf, ...(currencyCode ? { currencyCode } : {}) })];
}

function allOrders(records: ShopRecord[]): SynthOrder[] {
  return records.flatMap((record) => (record.kind === 'customer' ? record.orders : [record.order]));
}

function digest(records: ShopRecord[]): string {
  return createHash('sha256').update(JSON.stringify(records)).digest('hex');
}

/** Decimal string → integer minor units, without floating point. */
function minor(amount: string): number {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 10 ** fraction.length + Number(fraction || '0');
}

describe('generateShop determinism', () => {
  it('gives the same records for the same seed and different ones for another seed', () => {
    const first = digest(shop(11, 500));
    expect(digest(shop(11, 500))).toBe(first);
    expect(digest(shop(12, 500))).not.toBe(first);
  });

  it('gives a smaller shop that is a prefix of a larger one with the same seed', () => {
    const small = shop(5, 100);
    const large = shop(5, 300);
    expect(digest(large.slice(0, small.length))).toBe(digest(small));
  });

  it('is lazy: taking one record does not build the rest', () => {
    const records = generateShop({ seed: 1, customers: 50_000_000, asOf });
    const first = records.next();
    expect(first.done).toBe(false);
    expect(first.value?.kind).toBe('customer');
  });
});

describe('generateShop options', () => {
  it('rejects a negative or fractional customer count, a bad date and an unknown currency', () => {
    expect(() => generateShop({ seed: 1, customers: -1, asOf }).next()).toThrow(/customers/);
    expect(() => generateShop({ seed: 1, customers: 1.5, asOf }).next()).toThrow(/customers/);
    expect(() => generateShop({ seed: 1, customers: 1, asOf: new Date('nope') }).next()).toThrow(/asOf/);
    expect(() => generateShop({ seed: 1, customers: 1, asOf, currencyCode: 'XYZ' }).next()).toThrow(/XYZ.*USD/);
  });

  it('generates nothing for zero customers', () => {
    expect(shop(1, 0)).toEqual([]);
  });
});

describe('a 10,000-customer shop', () => {
  const records = shop(2026, 10_000);
  const customers = records.flatMap((record) => (record.kind === 'customer' ? [record] : []));
  const orders = allOrders(records);
  const guestOrders = records.filter((record) => record.kind === 'guest-order');

  it('has ids that are numeric, unique and increasing, and names #1001 upwards', () => {
    const ids = orders.map((order) => Number(order.id));
    expect(orders.every((order) => /^\d+$/.test(order.id))).toBe(true);
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number))).toBe(true);
    expect(orders[0]?.name).toBe('#1001');
    expect(new Set(orders.map((order) => order.name)).size).toBe(orders.length);
    const customerIds = customers.map((record) => Number(record.customer.id));
    expect(customerIds.every((id, i) => i === 0 || id > (customerIds[i - 1] as number))).toBe(true);
    const lineIds = orders.flatMap((order) => order.lines.map((line) => Number(line.id)));
    expect(lineIds.every((id, i) => i === 0 || id > (lineIds[i - 1] as number))).toBe(true);
  });

  it('has about three orders per customer, and 55–65% one-time buyers', () => {
    expect(orders.length / customers.length).toBeGreaterThan(2.6);
    expect(orders.length / customers.length).toBeLessThan(3.4);
    const oneTime = customers.filter((record) => record.orders.length === 1).length / customers.length;
    expect(oneTime).toBeGreaterThan(0.55);
    expect(oneTime).toBeLessThan(0.65);
  });

  it('concentrates revenue: the top 20% of customers hold 60–80% of it', () => {
    const revenue = customers
      .map((record) =>
        record.orders
          .filter((order) => !order.test && order.cancelledAt === null)
          .reduce((sum, order) => sum + minor(order.currentTotalPrice), 0),
      )
      .sort((a, b) => b - a);
    const total = revenue.reduce((sum, value) => sum + value, 0);
    const top = revenue.slice(0, revenue.length / 5).reduce((sum, value) => sum + value, 0);
    expect(top / total).toBeGreaterThan(0.6);
    expect(top / total).toBeLessThan(0.8);
  });

  it('has about 2% cancelled, 0.5% test and 3% guest orders, and 5% customers without email', () => {
    const share = (count: number) => count / orders.length;
    expect(share(orders.filter((order) => order.cancelledAt !== null).length)).toBeGreaterThan(0.012);
    expect(share(orders.filter((order) => order.cancelledAt !== null).length)).toBeLessThan(0.03);
    expect(share(orders.filter((order) => order.test).length)).toBeGreaterThan(0.002);
    expect(share(orders.filter((order) => order.test).length)).toBeLessThan(0.01);
    expect(share(guestOrders.length)).toBeGreaterThan(0.02);
    expect(share(guestOrders.length)).toBeLessThan(0.045);
    expect(guestOrders.every((record) => record.order.customerId === null)).toBe(true);
    const withoutEmail = customers.filter((record) => record.customer.email === null).length / customers.length;
    expect(withoutEmail).toBeGreaterThan(0.035);
    expect(withoutEmail).toBeLessThan(0.065);
  });

  it('keeps money consistent: current = total − refunded ≥ 0, total = subtotal + shipping + tax', () => {
    const broken = orders.filter((order) => {
      const current = minor(order.currentTotalPrice);
      const lines = order.lines.reduce((sum, line) => sum + minor(line.unitPrice) * line.quantity, 0);
      return (
        current !== minor(order.totalPrice) - minor(order.totalRefunded) ||
        current < 0 ||
        minor(order.totalPrice) !== minor(order.subtotalPrice) + minor(order.totalShipping) + minor(order.totalTax) ||
        lines !== minor(order.subtotalPrice) ||
        !/^\d+\.\d{2}$/.test(order.totalPrice)
      );
    });
    expect(broken).toEqual([]);
  });

  it('has partial and full refunds, the refunded orders updated after they were placed', () => {
    const refunded = orders.filter((order) => order.totalRefunded !== '0.00' && order.cancelledAt === null);
    const full = refunded.filter((order) => order.currentTotalPrice === '0.00');
    const partial = refunded.filter((order) => order.currentTotalPrice !== '0.00');
    expect(full.length).toBeGreaterThan(orders.length * 0.01);
    expect(partial.length).toBeGreaterThan(orders.length * 0.02);
    expect(refunded.every((order) => order.updatedAt > order.processedAt)).toBe(true);
  });

  it('keeps every time inside the 24 months before asOf, updatedAt ≥ processedAt, orders oldest first', () => {
    const start = asOf.getTime() - 730 * DAY_MS;
    const broken = orders.filter((order) => {
      const processed = Date.parse(order.processedAt);
      const updated = Date.parse(order.updatedAt);
      return (
        processed < start ||
        processed >= asOf.getTime() ||
        updated < processed ||
        updated >= asOf.getTime() ||
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(order.processedAt) ||
        (order.cancelledAt !== null && order.cancelledAt < order.processedAt)
      );
    });
    expect(broken).toEqual([]);
    const unordered = customers.filter((record) => {
      const times = record.orders.map((order) => order.processedAt);
      return times.join() !== [...times].sort().join() || record.customer.createdAt > (times[0] as string);
    });
    expect(unordered).toEqual([]);
  });

  it('has a November–December peak: more orders per day than the rest of the year', () => {
    const holiday = orders.filter((order) => ['11', '12'].includes(order.processedAt.slice(5, 7))).length;
    const perHolidayDay = holiday / (2 * 61);
    const perOtherDay = (orders.length - holiday) / (730 - 2 * 61);
    expect(perHolidayDay / perOtherDay).toBeGreaterThan(1.5);
  });

  it('has lapsed repeat buyers whose last order is more than 180 days old', () => {
    const lapsed = customers.filter(
      (record) =>
        record.orders.length >= 2 &&
        asOf.getTime() - Date.parse((record.orders.at(-1) as SynthOrder).processedAt) > 180 * DAY_MS,
    );
    expect(lapsed.length).toBeGreaterThan(customers.length * 0.05);
  });

  it('has duplicate emails across customers (some differing only in case) and non-ASCII names', () => {
    const seen = new Map<string, number>();
    for (const record of customers) {
      const email = record.customer.email?.toLowerCase();
      if (email) seen.set(email, (seen.get(email) ?? 0) + 1);
    }
    expect([...seen.values()].filter((count) => count > 1).length).toBeGreaterThan(10);
    const exact = new Set(customers.map((record) => record.customer.email));
    expect(exact.size).toBeGreaterThan(seen.size + 1);
    expect(customers.some((record) => /[^\u0000-\u007f]/.test(record.customer.firstName + record.customer.lastName))).toBe(true);
    expect(customers.every((record) => record.orders.every((order) => order.email === record.customer.email))).toBe(true);
  });

  it('tags about 30% of customers with merchant tags that never look like tiersync tags', () => {
    const tagged = customers.filter((record) => record.customer.tags.length > 0).length / customers.length;
    expect(tagged).toBeGreaterThan(0.25);
    expect(tagged).toBeLessThan(0.35);
    const tags = new Set(customers.flatMap((record) => record.customer.tags));
    for (const tag of tags) {
      expect(tag).not.toMatch(/^(ltv|rfm|churn|lapsed):/);
      expect(['suppressed', 'reactivate']).not.toContain(tag);
    }
  });

  it('uses a fixed catalogue of about ten product types', () => {
    const types = new Set(orders.flatMap((order) => order.lines.map((line) => line.productType)));
    expect(types.size).toBeGreaterThanOrEqual(8);
    expect(types.size).toBeLessThanOrEqual(12);
    expect(orders.every((order) => order.lines.length > 0 && order.lines.every((line) => line.quantity >= 1))).toBe(true);
  });
});

describe('shop currencies', () => {
  it('writes JPY amounts without decimals and EUR amounts with two', () => {
    const yen = allOrders(shop(3, 300, 'JPY'));
    expect(yen.every((order) => order.currencyCode === 'JPY')).toBe(true);
    for (const order of yen) {
      for (const amount of [order.totalPrice, order.totalRefunded, order.currentTotalPrice, ...order.lines.map((l) => l.unitPrice)]) {
        expect(amount).toMatch(/^\d+$/);
      }
    }
    const euro = allOrders(shop(3, 300, 'EUR'));
    expect(euro.every((order) => order.currencyCode === 'EUR' && /^\d+\.\d{2}$/.test(order.currentTotalPrice))).toBe(true);
  });

  it('prices JPY orders at yen levels (about 150 times the dollar amounts)', () => {
    const median = (orders: SynthOrder[]) => {
      const totals = orders.map((order) => Number(order.totalPrice)).sort((a, b) => a - b);
      return totals[Math.floor(totals.length / 2)] as number;
    };
    const ratio = median(allOrders(shop(3, 2000, 'JPY'))) / median(allOrders(shop(3, 2000, 'USD')));
    expect(ratio).toBeGreaterThan(100);
    expect(ratio).toBeLessThan(200);
  });
});

describe('generateShop: a longer history (historyMonths)', () => {
  const records = [...generateShop({ seed: 11, customers: 3000, asOf, historyMonths: 48 })];
  const customers = records.flatMap((record) => (record.kind === 'customer' ? [record] : []));
  const orders = allOrders(records);

  it('keeps the 24-month shop unchanged when historyMonths is 24', () => {
    expect(digest([...generateShop({ seed: 2, customers: 300, asOf, historyMonths: 24 })])).toBe(digest(shop(2, 300)));
  });

  it('spreads 48 months of orders, and a third or more of the customers last bought over 730 days ago', () => {
    const oldest = Math.min(...orders.map((order) => Date.parse(order.processedAt)));
    expect(oldest).toBeGreaterThanOrEqual(asOf.getTime() - 1461 * DAY_MS);
    expect(oldest).toBeLessThan(asOf.getTime() - 1400 * DAY_MS);
    const dormant = customers.filter((record) => asOf.getTime() - Date.parse((record.orders.at(-1) as SynthOrder).processedAt) >= 730 * DAY_MS);
    expect(dormant.length / customers.length).toBeGreaterThan(0.33);
    expect(dormant.length / customers.length).toBeLessThan(0.5);
  });

  it('keeps the skew and the November–December peak', () => {
    const revenue = customers.map((record) => record.orders.reduce((sum, order) => sum + minor(order.currentTotalPrice), 0)).sort((a, b) => b - a);
    const total = revenue.reduce((sum, value) => sum + value, 0);
    const top = revenue.slice(0, revenue.length / 5).reduce((sum, value) => sum + value, 0);
    expect(top / total).toBeGreaterThan(0.6);
    expect(top / total).toBeLessThan(0.8);
    const holiday = orders.filter((order) => ['11', '12'].includes(order.processedAt.slice(5, 7))).length;
    expect(holiday / (4 * 61) / ((orders.length - holiday) / (1461 - 4 * 61))).toBeGreaterThan(1.5);
  });

  it('refuses a history of less than a month', () => {
    expect(() => generateShop({ seed: 1, customers: 1, asOf, historyMonths: 0 }).next()).toThrow(/historyMonths/);
  });
});
