import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { runCli } from '../helpers/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tiersync-lift-'));
const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');

/** 40 treated and 5 held-out VIPs; every 4th treated and the first held-out one order after assignment. */
function storeWithHoldouts(path: string): void {
  const store = openStore(path);
  const assignments = Array.from({ length: 45 }, (_, i) => ({ customerId: `c${i}`, assignedAt: T0, segment: 'vip', heldOut: i >= 40 }));
  store.holdouts.assign(assignments);
  store.orders.upsertOrders(
    assignments
      .filter((_, i) => (i < 40 ? i % 4 === 0 : i === 40))
      .map((a, i) => ({ id: `o${i}`, customerId: a.customerId, email: null, processedAt: T0 + DAY, updatedAt: T0 + DAY, totalCents: 5000, currency: 'USD', cancelled: false, test: false, lines: [] })),
  );
  store.close();
}

describe('tiersync lift', () => {
  const path = join(dir, 'shop.db');
  storeWithHoldouts(path);

  it('prints the readout as JSON', async () => {
    const result = await runCli(['lift', '--store', path, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      since: '2026-10-01T00:00:00.000Z',
      segments: [{
        segment: 'vip',
        treated: { customers: 40, ordering_customers: 10, orders: 10, revenue_cents: 50_000, revenue_per_customer_cents: 1250, order_rate: 0.25 },
        holdout: { customers: 5, ordering_customers: 1, orders: 1, revenue_cents: 5000, revenue_per_customer_cents: 1000, order_rate: 0.2 },
        revenue_per_customer_diff_cents: 250,
        relative_lift: 0.25,
        ci95: null,
        significant: false,
      }],
    });
  });

  it('prints a table that says when a segment is too small for an interval, and counts from --since', async () => {
    const table = await runCli(['lift', '--store', path]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^vip\s+40\s+10 \(25\.0%\)\s+12\.50 USD\s+5\s+1 \(20\.0%\)\s+10\.00 USD\s+\+2\.50 USD\s+\+25\.0%\s+too small for a meaningful interval \(under 30 treated or held out\)$/m);
    const later = await runCli(['lift', '--store', path, '--since', '2026-10-03', '--json']);
    expect(JSON.parse(later.stdout)).toMatchObject({ since: '2026-10-03T00:00:00.000Z', segments: [{ treated: { orders: 0 }, holdout: { orders: 0 } }] });
  });

  it('explains a missing store, a store without holdouts and a bad date', async () => {
    const missing = await runCli(['lift', '--store', join(dir, 'absent.db')]);
    expect([missing.code, missing.stderr]).toEqual([1, `tiersync: ${join(dir, 'absent.db')}: no order store yet; run \`tiersync sync\` first (or pass --store FILE)\n`]);
    const empty = join(dir, 'empty.db');
    openStore(empty).close();
    const none = await runCli(['lift', '--store', empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('nobody is assigned to a holdout yet');
    const badDate = await runCli(['lift', '--store', path, '--since', 'last week']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--since "last week" is not a date');
  });
});
