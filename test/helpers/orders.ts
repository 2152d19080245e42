import { DAY_MS, type Order } from '../../src/core/order.ts';

export const AS_OF = new Date('2026-01-01T00:00:00Z');

let sequence = 0;

/** An order `daysAgo` whole days before AS_OF (plus `extraMs` into the day, still that age). */
export function order(customerId: string | null, daysAgo: number, total: number, extra: Partial<Order> = {}): Order {
  sequence++;
  return {
    id: `o${sequence}`,
    customerId,
    email: customerId ? `${customerId}@example.com` : null,
    processedAt: AS_OF.getTime() - daysAgo * DAY_MS,
    totalCents: total,
    currency: 'USD',
    cancelled: false,
    test: false,
    lines: [],
    ...extra,
  };
}

export const FACT_OPTIONS = { asOf: AS_OF, historyDays: 730, trendWindowDays: 180, improvementWindowDays: 365 };
