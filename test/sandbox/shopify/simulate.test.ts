import { describe, expect, it } from 'vitest';
import { startTestSandbox, TEST_AS_OF } from '../../helpers/sandbox.ts';

interface State {
  customers: { id: string }[];
  orders: { id: string; customer_id: string | null; processed_at: string; current_total: string; cancelled_at: string | null; test: boolean }[];
}

const NOW = Date.parse('2026-11-20T12:00:00.000Z');

async function post(base: string, body: string) {
  const response = await fetch(`${base}/__sandbox/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, body: (await response.json()) as any };
}

describe('POST /__sandbox/simulate', () => {
  it('adds N orders processed now for existing customers, favouring recent buyers, with a few refunds and cancellations', async () => {
    const sandbox = await startTestSandbox({ customers: 300, seed: 4, now: () => NOW });
    try {
      const before = (await (await fetch(`${sandbox.shopifyUrl}/__sandbox/state`)).json()) as State;
      const answer = await post(sandbox.shopifyUrl, '{"orders": 400}');
      expect(answer.status).toBe(200);
      expect(answer.body.orders).toBe(400);
      expect(answer.body.order_ids).toHaveLength(400);
      expect(answer.body.refunded).toBeGreaterThan(0);
      expect(answer.body.cancelled).toBeGreaterThan(0);
      expect(answer.body.refunded + answer.body.cancelled).toBeLessThan(60);

      const after = (await (await fetch(`${sandbox.shopifyUrl}/__sandbox/state`)).json()) as State;
      expect(after.orders).toHaveLength(before.orders.length + 400);
      const added = after.orders.filter((o) => answer.body.order_ids.includes(o.id));
      const customerIds = new Set(before.customers.map((c) => c.id));
      for (const order of added) {
        expect(customerIds.has(order.customer_id!)).toBe(true);
        expect(order.processed_at).toBe('2026-11-20T12:00:00.000Z');
        expect(order.test).toBe(false);
      }
      expect(added.filter((o) => o.cancelled_at !== null)).toHaveLength(answer.body.cancelled);

      // Customers whose last order is in the 60 days before the shop's end get a larger share
      // of the new orders than their share of customers.
      const lastOrder = new Map<string, number>();
      for (const order of before.orders) {
        if (order.customer_id) lastOrder.set(order.customer_id, Math.max(lastOrder.get(order.customer_id) ?? 0, Date.parse(order.processed_at)));
      }
      const recent = new Set([...lastOrder].filter(([, at]) => at >= TEST_AS_OF.getTime() - 60 * 86_400_000).map(([id]) => id));
      const recentShareOfCustomers = recent.size / before.customers.length;
      const recentShareOfOrders = added.filter((o) => recent.has(o.customer_id!)).length / added.length;
      expect(recentShareOfOrders).toBeGreaterThan(1.5 * recentShareOfCustomers);
    } finally {
      await sandbox.close();
    }
  });

  it('is seeded: the same shop and calls give the same orders; reset starts the sequence again', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => startTestSandbox({ customers: 80, seed: 9, now: () => NOW })));
    try {
      const first = await post(a!.shopifyUrl, '{"orders": 25}');
      expect((await post(b!.shopifyUrl, '{"orders": 25}')).body).toEqual(first.body);
      const state = async (base: string) => ((await (await fetch(`${base}/__sandbox/state`)).json()) as State).orders;
      expect(await state(a!.shopifyUrl)).toEqual(await state(b!.shopifyUrl));
      await fetch(`${a!.shopifyUrl}/__sandbox/reset`, { method: 'POST' });
      expect((await post(a!.shopifyUrl, '{"orders": 25}')).body).toEqual(first.body);
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it('refuses a bad request with what to send', async () => {
    const sandbox = await startTestSandbox({ customers: 10, seed: 2 });
    try {
      expect(await post(sandbox.shopifyUrl, 'not json')).toEqual({ status: 400, body: { errors: 'the body must be JSON like {"orders": 100} (at most 4 KB)' } });
      const zero = await post(sandbox.shopifyUrl, '{"orders": 0}');
      expect(zero.status).toBe(400);
      expect(zero.body.errors).toBe('invalid simulate request (orders: must be ≥ 1); send {"orders": N}');
      expect((await post(sandbox.shopifyUrl, '{"orders": 5, "days": 3}')).status).toBe(400);
    } finally {
      await sandbox.close();
    }
  });
});
