import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';
import { runCli } from '../helpers/run-cli.ts';
import { sandboxState, syncAgainst, tempStorePath } from './sync-helpers.ts';

const config = parseConfig({}, 'test');
const tierOfTag = new Map([...config.tiers.map((t) => [t.tag, t.id] as const), [config.new_tier.tag, 'new'] as const]);
const listOfTier = new Map([...config.tiers.map((t) => [t.id, t.list] as const), ['new', config.new_tier.list] as const]);
const ACTION_LISTS = ['tiersync: At Risk', 'tiersync: Reactivate', 'tiersync: Lapsed High-Value', 'tiersync: Lapsed Low-Value'];

interface ShopState {
  customers: { id: string; email: string | null; tags: string[] }[];
  orders: { id: string; customer_id: string | null; processed_at: string; current_total: string; cancelled_at: string | null; test: boolean }[];
}

/** Segment and group of every customer tiersync tagged, read from the shop's tags. */
function assignmentsFrom(shop: ShopState) {
  const byId = new Map<string, { segment: string; heldOut: boolean; email: string | null }>();
  for (const customer of shop.customers) {
    const tierTag = customer.tags.find((tag) => tierOfTag.has(tag));
    if (tierTag) byId.set(customer.id, { segment: tierOfTag.get(tierTag)!, heldOut: customer.tags.includes('tiersync:holdout'), email: customer.email });
  }
  return byId;
}

/** USD decimal string to cents, parsed here rather than by the code under test. */
const cents = (amount: string) => {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};

describe('holdouts and lift on a sandbox shop', () => {
  it('holds out 10% ± 2% of every segment of 300+, keeps them out of its lists and in the holdout list, the same next run; lift counts what the orders say', async () => {
    const sandbox = await startTestSandbox({ customers: 1_200, seed: 15 });
    try {
      const store = tempStorePath();
      const first = await syncAgainst(sandbox, store);
      const firstEnded = Date.now();
      expect(first.applied).toMatchObject({ failed: 0 });
      const afterFirst = await sandboxState(sandbox);
      const assigned = assignmentsFrom(afterFirst.shopify as ShopState);
      expect(assigned.size).toBe(first.segments.length);

      const bySegment = new Map<string, { customers: number; heldOut: number }>();
      for (const { segment, heldOut } of assigned.values()) {
        const counts = bySegment.get(segment) ?? { customers: 0, heldOut: 0 };
        counts.customers += 1;
        if (heldOut) counts.heldOut += 1;
        bySegment.set(segment, counts);
      }
      const large = [...bySegment].filter(([, counts]) => counts.customers >= 300);
      expect(large.length).toBeGreaterThanOrEqual(1);
      for (const [, { customers, heldOut }] of large) expect(Math.abs(heldOut / customers - 0.1)).toBeLessThanOrEqual(0.02);

      // Klaviyo: a held-out customer is in the holdout list and in neither its tier list nor an action list.
      const emailCounts = new Map<string, number>();
      for (const { email } of assigned.values()) if (email) emailCounts.set(email.toLowerCase(), (emailCounts.get(email.toLowerCase()) ?? 0) + 1);
      const profileIdOf = new Map(afterFirst.klaviyo.profiles.map((p) => [p.email.toLowerCase(), p.id]));
      const members = new Map(afterFirst.klaviyo.lists.map((l) => [l.name, new Set(l.profile_ids)]));
      let heldOutChecked = 0;
      for (const { segment, heldOut, email } of assigned.values()) {
        if (!email || emailCounts.get(email.toLowerCase())! > 1) continue;
        const profile = profileIdOf.get(email.toLowerCase())!;
        expect(members.get('tiersync: Holdout')!.has(profile)).toBe(heldOut);
        expect(members.get(listOfTier.get(segment)!)!.has(profile)).toBe(!heldOut);
        if (heldOut) {
          for (const list of ACTION_LISTS) expect(members.get(list)?.has(profile) ?? false).toBe(false);
          expect(afterFirst.klaviyo.profiles.find((p) => p.id === profile)!.properties).toMatchObject({ tiersync_holdout: true, tiersync_tier: segment });
          heldOutChecked += 1;
        }
      }
      expect(heldOutChecked).toBeGreaterThan(50);

      const second = await syncAgainst(sandbox, store);
      expect(second.plan.operations).toEqual([]);
      expect(assignmentsFrom((await sandboxState(sandbox)).shopify as ShopState)).toEqual(assigned);

      const simulated = await fetch(`${sandbox.shopifyUrl}/__sandbox/simulate`, { method: 'POST', body: JSON.stringify({ orders: 900 }) });
      expect(simulated.status).toBe(200);
      await syncAgainst(sandbox, store);
      const thirdEnded = Date.now();
      const shop = (await sandboxState(sandbox)).shopify as ShopState;

      // Expected, from the shop alone: each customer's segment and group from the sync that
      // first tagged them; orders (not test, not cancelled) processed after that sync.
      const since = new Map<string, { segment: string; heldOut: boolean; from: number }>();
      for (const [id, a] of assigned) since.set(id, { ...a, from: firstEnded });
      for (const [id, a] of assignmentsFrom(shop)) {
        const earlier = since.get(id);
        if (earlier) expect(a.heldOut).toBe(earlier.heldOut);
        else since.set(id, { ...a, from: thirdEnded });
      }
      const expected = new Map<string, { customers: number; ordering: Set<string>; orders: number; revenue: number }>();
      const groupOf = (segment: string, heldOut: boolean) => {
        const key = `${segment}|${heldOut ? 'holdout' : 'treated'}`;
        if (!expected.has(key)) expected.set(key, { customers: 0, ordering: new Set(), orders: 0, revenue: 0 });
        return expected.get(key)!;
      };
      for (const { segment, heldOut } of since.values()) groupOf(segment, heldOut).customers += 1;
      let counted = 0;
      for (const order of shop.orders) {
        const customer = order.customer_id && since.get(order.customer_id);
        if (!customer || order.test || order.cancelled_at !== null || Date.parse(order.processed_at) < customer.from) continue;
        const group = groupOf(customer.segment, customer.heldOut);
        group.ordering.add(order.customer_id!);
        group.orders += 1;
        group.revenue += cents(order.current_total);
        counted += 1;
      }
      expect(counted).toBeGreaterThan(700);

      const lift = await runCli(['lift', '--store', store, '--json']);
      expect(lift.stderr).toBe('');
      expect(lift.code).toBe(0);
      const readout = JSON.parse(lift.stdout) as { since: string; segments: { segment: string; treated: Record<string, number>; holdout: Record<string, number> }[] };
      const actual = new Map<string, { customers: number; ordering: number; orders: number; revenue: number }>();
      for (const s of readout.segments) {
        for (const [group, figures] of [['treated', s.treated], ['holdout', s.holdout]] as const) {
          if (figures.customers === 0) continue;
          actual.set(`${s.segment}|${group}`, { customers: figures.customers!, ordering: figures.ordering_customers!, orders: figures.orders!, revenue: figures.revenue_cents! });
        }
      }
      expect(actual).toEqual(new Map([...expected].map(([key, g]) => [key, { customers: g.customers, ordering: g.ordering.size, orders: g.orders, revenue: g.revenue }])));
      expect(Date.parse(readout.since)).toBeGreaterThan(firstEnded - 60_000);

      const table = await runCli(['lift', '--store', store]);
      expect(table.stdout).toContain('95% Welch t interval on the difference in revenue per customer');
    } finally {
      await sandbox.close();
    }
  }, 180_000);
});
