import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { readCredentials } from '../../src/config/env.ts';
import { openStore } from '../../src/store/open-store.ts';
import { NEW_TIER } from '../../src/core/segment.ts';
import { managedTags } from '../../src/reconcile/managed.ts';
import { shopifyGraphQL, startTestSandbox } from '../helpers/sandbox.ts';
import { sandboxState, sandboxStats, syncAgainst, tempStorePath } from './sync-helpers.ts';

const config = parseConfig({}, 'test');
const legacyId = (gid: string) => gid.split('/').pop()!;
const managed = managedTags(config);

// The default tags of docs/DESIGN.md "Outputs", spelled out here rather than taken from the code under test.
const TIER_TAGS: Record<string, string> = {
  champion: 'ltv:champion', vip: 'ltv:vip', high_value: 'ltv:high-value', mid_tier: 'ltv:mid-tier', low_value: 'ltv:low-value', new: 'ltv:new',
};
const RECENCY_TAGS: Record<string, string> = { active: 'rfm:active', warm: 'rfm:warm', cool: 'rfm:cool', cold: 'rfm:cold' };

/** The managed tags a segment should carry with the default config. */
function expectedTags(segment: { tier: string; recencyBucket: string; atRisk: boolean; lapsed: string | null; suppressed: boolean; reactivationDue: boolean; heldOut?: boolean }): string[] {
  return [
    TIER_TAGS[segment.tier]!,
    RECENCY_TAGS[segment.recencyBucket]!,
    ...(segment.atRisk ? ['churn:at-risk'] : []),
    ...(segment.lapsed === 'high_value' ? ['lapsed:high-value'] : []),
    ...(segment.lapsed === 'low_value' ? ['lapsed:low-value'] : []),
    ...(segment.suppressed ? ['suppressed'] : []),
    ...(segment.reactivationDue ? ['reactivate'] : []),
    ...(segment.heldOut ? ['tiersync:holdout'] : []),
  ].sort();
}

/** Klaviyo has one profile per email: among customers sharing one, the best tier wins (docs/DESIGN.md "Outputs"). */
const TIER_ORDER = ['champion', 'vip', 'high_value', 'mid_tier', 'low_value', 'new'];

describe('sync against the sandbox', () => {
  it('applies a first sync exactly, keeps merchant tags, and a second sync writes nothing', async () => {
    const sandbox = await startTestSandbox({ customers: 300, seed: 5 });
    try {
      const before = await sandboxState(sandbox);
      const store = tempStorePath();
      const first = await syncAgainst(sandbox, store);
      expect(first.plan.firstSync).toBe(true);
      expect(first.applied).toMatchObject({ failed: 0 });
      expect(first.applied!.confirmed).toBe(first.plan.operations.length);

      const after = await sandboxState(sandbox);
      const tagsById = new Map(after.shopify.customers.map((c) => [c.id, c.tags]));
      const merchantBefore = new Map(before.shopify.customers.map((c) => [c.id, c.tags]));
      for (const segment of first.segments) {
        const id = legacyId(segment.customerId);
        const tags = tagsById.get(id)!;
        expect(tags.filter((t) => managed.has(t.toLowerCase())).sort()).toEqual(expectedTags({ ...segment, heldOut: tags.includes('tiersync:holdout') }));
        expect(tags.filter((t) => !managed.has(t.toLowerCase())).sort()).toEqual([...merchantBefore.get(id)!].sort());
      }

      // Klaviyo: the VIP list holds exactly the emails whose best-ranked customer is a VIP, less
      // the held-out ones (tagged tiersync:holdout), which are kept out of the tier lists.
      const bestTier = new Map<string, { tier: string; customerId: string }>();
      for (const s of first.segments) {
        if (!s.email) continue;
        const email = s.email.toLowerCase();
        const held = bestTier.get(email);
        if (held === undefined || TIER_ORDER.indexOf(s.tier) < TIER_ORDER.indexOf(held.tier)) bestTier.set(email, { tier: s.tier, customerId: s.customerId });
      }
      const heldOut = (customerId: string) => tagsById.get(legacyId(customerId))!.includes('tiersync:holdout');
      const vipEmails = [...bestTier].filter(([, best]) => best.tier === 'vip' && !heldOut(best.customerId)).map(([email]) => email).sort();
      const profilesById = new Map(after.klaviyo.profiles.map((p) => [p.id, p]));
      const vipList = after.klaviyo.lists.find((l) => l.name === 'tiersync: VIP')!;
      const listed = vipList.profile_ids.map((id) => profilesById.get(id)!.email.toLowerCase()).sort();
      expect(listed).toEqual(vipEmails);
      expect(listed.length).toBeGreaterThan(0);
      const champion = first.segments.find((s) => s.tier === 'champion' && s.email)!;
      const profile = after.klaviyo.profiles.find((p) => p.email.toLowerCase() === champion.email!.toLowerCase())!;
      expect(profile.properties).toMatchObject({ tiersync_tier: 'champion', tiersync_rfm: champion.rfm, tiersync_orders: champion.orders });

      const statsAfterFirst = await sandboxStats(sandbox);
      const second = await syncAgainst(sandbox, store);
      const statsAfterSecond = await sandboxStats(sandbox);
      expect(second.plan.operations).toEqual([]);
      expect(second.pull.mode).toBe('incremental');
      expect(statsAfterSecond.shopify.writes).toEqual(statsAfterFirst.shopify.writes);
      expect(statsAfterSecond.klaviyo.writes).toEqual(statsAfterFirst.klaviyo.writes);
    } finally {
      await sandbox.close();
    }
  });

  it('dry run: plans everything, writes nothing, creates no list', async () => {
    const sandbox = await startTestSandbox({ customers: 120, seed: 6 });
    try {
      const report = await syncAgainst(sandbox, tempStorePath(), { mode: 'plan' });
      expect(report.plan.counts.tags_add).toBeGreaterThan(100);
      expect(report.applied).toBeNull();
      const stats = await sandboxStats(sandbox);
      expect(stats.shopify.writes).toEqual({ tags_added: 0, tags_removed: 0, metafields_set: 0, metafields_deleted: 0 });
      expect(Object.values(stats.klaviyo.writes).every((n) => n === 0)).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  it('picks up new and refunded orders incrementally and rewrites only what they affect', async () => {
    const sandbox = await startTestSandbox({ customers: 200, seed: 7 });
    try {
      const store = tempStorePath();
      const first = await syncAgainst(sandbox, store);
      const low = first.segments.find((s) => s.tier === 'low_value' && s.orders === 1 && s.daysSinceLast < 150)!;
      sandbox.shopify.addOrder({
        id: '9999000001', name: '#999001', customerId: legacyId(low.customerId), email: low.email, createdAt: new Date().toISOString(),
        processedAt: new Date().toISOString(), updatedAt: new Date().toISOString(), cancelledAt: null, test: false, currencyCode: 'USD',
        subtotalPrice: '5000.00', totalShipping: '0.00', totalTax: '0.00', totalPrice: '5000.00', totalRefunded: '0.00', currentTotalPrice: '5000.00',
        lines: [{ id: '9999000002', title: 'Watch', productType: 'Jewelry', quantity: 1, unitPrice: '5000.00' }],
      });
      const refunded = first.segments.find((s) => s.tier === 'champion')!;
      const refundedOrder = sandbox.shopify.state().orders.find((o) => o.customer_id === legacyId(refunded.customerId) && !o.cancelled_at && !o.test)!;
      sandbox.shopify.mutateOrder(refundedOrder.id, { refund: refundedOrder.current_total });
      const second = await syncAgainst(sandbox, store);
      expect(second.pull).toEqual({ mode: 'incremental', orders: 2, historyCompleted: null });
      const refundedCents = Math.round(Number(refundedOrder.current_total) * 100);
      expect(second.segments.find((s) => s.customerId === refunded.customerId)!.historicalLtvCents).toBe(refunded.historicalLtvCents - refundedCents);
      const moved = second.segments.find((s) => s.customerId === low.customerId)!;
      expect(['champion', 'vip']).toContain(moved.tier);
      const tagOps = second.plan.operations.filter((op) => op.kind === 'tags_add' && op.target === low.customerId);
      expect(tagOps).toHaveLength(1);
      // Others change only in values relative to the base (rank, percentile, RFM scores, tier and
      // what follows from it), never in their own history.
      const ownHistory = ['tiersync_ltv', 'tiersync_orders', 'tiersync_aov', 'tiersync_last_order_date', 'tiersync_historical_clv'];
      const touched = new Set([low.customerId, refunded.customerId]);
      const others = second.plan.operations.filter((op) => op.kind === 'profiles_upsert' && !touched.has(op.payload.customerId));
      for (const op of others) expect(Object.keys(op.kind === 'profiles_upsert' ? op.payload.properties : {}).filter((key) => ownHistory.includes(key))).toEqual([]);
      const jumper = second.plan.operations.find((op) => op.kind === 'profiles_upsert' && op.payload.customerId === low.customerId);
      expect(jumper?.kind === 'profiles_upsert' && jumper.payload.properties).toMatchObject({ tiersync_orders: 2, tiersync_tier: moved.tier });
      // A jump moves a few neighbours across tier cut-offs, never the base.
      expect(second.plan.counts.tags_add).toBeLessThan(second.segments.length * 0.1);
      expect(second.plan.firstSync).toBe(false);
    } finally {
      await sandbox.close();
    }
  });

  it('puts back a managed tag a person removed, and reports it as drift', async () => {
    const sandbox = await startTestSandbox({ customers: 100, seed: 8 });
    try {
      const store = tempStorePath();
      const first = await syncAgainst(sandbox, store);
      const target = first.segments.find((s) => s.tier !== NEW_TIER)!;
      const tierTag = TIER_TAGS[target.tier]!;
      const removed = await shopifyGraphQL(sandbox, 'mutation($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { userErrors { message } } }', { id: target.customerId, tags: [tierTag] });
      expect(removed.body.data.tagsRemove.userErrors).toEqual([]);
      const plan = await syncAgainst(sandbox, store, { mode: 'plan' });
      expect(plan.plan.drift.tags).toBe(1);
      expect(plan.plan.operations.filter((op) => op.kind === 'tags_add')).toEqual([{ kind: 'tags_add', target: target.customerId, tier: target.tier, payload: { tags: [tierTag], drift: [tierTag] } }]);
      await syncAgainst(sandbox, store);
      const state = await sandboxState(sandbox);
      expect(state.shopify.customers.find((c) => c.id === legacyId(target.customerId))!.tags).toContain(tierTag);
    } finally {
      await sandbox.close();
    }
  });

  it('stops a plan that changes more than 30% of customers unless forced', async () => {
    const sandbox = await startTestSandbox({ customers: 150, seed: 9 });
    try {
      const store = tempStorePath();
      await syncAgainst(sandbox, store);
      const tier = (id: string, share: number, tag: string) => ({ id, label: id, cumulative_share: share, tag, list: `tiersync: ${id}`, reactivation_days: 60 });
      const reshuffled = { tiers: [tier('champion', 0.3, 'ltv:champion'), tier('vip', 0.6, 'ltv:vip'), tier('high_value', 0.8, 'ltv:high-value'), tier('mid_tier', 0.9, 'ltv:mid-tier'), tier('low_value', 1, 'ltv:low-value')] };
      const before = await sandboxStats(sandbox);
      const stopped = await syncAgainst(sandbox, store, { configJson: reshuffled });
      expect(stopped.guardTripped).toBe(true);
      expect(stopped.applied).toBeNull();
      expect((await sandboxStats(sandbox)).shopify.writes).toEqual(before.shopify.writes);
      const forced = await syncAgainst(sandbox, store, { configJson: reshuffled, force: true });
      expect(forced.guardTripped).toBe(false);
      expect(forced.resumedRun).toBeNull(); // the stopped run sent nothing: nothing to resume
      expect(forced.applied!.confirmed).toBeGreaterThan(0);
    } finally {
      await sandbox.close();
    }
  });
});

describe('klaviyo.update_existing_only', () => {
  it('updates the profiles Klaviyo already has and creates none', async () => {
    const sandbox = await startTestSandbox({ customers: 150, seed: 10 });
    try {
      const existing = new Set((await sandboxState(sandbox)).klaviyo.profiles.map((p) => p.email.toLowerCase()));
      const report = await syncAgainst(sandbox, tempStorePath(), { configJson: { klaviyo: { update_existing_only: true } } });
      const stats = await sandboxStats(sandbox);
      expect(stats.klaviyo.writes.profiles_created).toBe(0);
      expect(report.notInKlaviyo).toBeGreaterThan(0);
      const upserted = report.plan.operations.filter((op) => op.kind === 'profiles_upsert').map((op) => op.target);
      expect(upserted.length).toBeGreaterThan(0);
      for (const email of upserted) expect(existing.has(email)).toBe(true);
    } finally {
      await sandbox.close();
    }
  });
});

describe('without Klaviyo', () => {
  it('writes Shopify only, and a second sync writes nothing', async () => {
    const sandbox = await startTestSandbox({ customers: 80, seed: 12 });
    try {
      const store = tempStorePath();
      const { KLAVIYO_API_KEY: _, ...shopifyOnly } = sandbox.env;
      const credentials = readCredentials(shopifyOnly);
      const first = await syncAgainst(sandbox, store, { credentials });
      expect(first.plan.counts.tags_add).toBeGreaterThan(0);
      expect(first.plan.counts.profiles_upsert + first.plan.counts.list_add).toBe(0);
      expect(Object.values((await sandboxStats(sandbox)).klaviyo.writes).every((n) => n === 0)).toBe(true);
      expect((await syncAgainst(sandbox, store, { credentials })).plan.operations).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});

describe('moving customers between tiers', () => {
  it('after a config change every customer has exactly one tier tag and sits in exactly one tier list', async () => {
    const sandbox = await startTestSandbox({ customers: 160, seed: 13 });
    try {
      const store = tempStorePath();
      await syncAgainst(sandbox, store);
      const strict = { strict_vip: { enabled: true } };
      const second = await syncAgainst(sandbox, store, { configJson: strict, force: true });
      expect(second.plan.counts.tags_remove).toBeGreaterThan(0);
      expect(second.plan.counts.list_remove).toBeGreaterThan(0);
      const state = await sandboxState(sandbox);
      const tierTags = new Set(Object.values(TIER_TAGS));
      const byId = new Map(second.segments.map((s) => [legacyId(s.customerId), s]));
      for (const customer of state.shopify.customers) {
        const segment = byId.get(customer.id);
        const tags = customer.tags.filter((t) => tierTags.has(t));
        expect(tags).toEqual(segment ? [TIER_TAGS[segment.tier]] : []);
      }
      const tierLists = new Set(['tiersync: Champions', 'tiersync: VIP', 'tiersync: High-Value', 'tiersync: Mid-Tier', 'tiersync: Low-Value', 'tiersync: New']);
      const membership = new Map<string, number>();
      for (const list of state.klaviyo.lists.filter((l) => tierLists.has(l.name))) for (const id of list.profile_ids) membership.set(id, (membership.get(id) ?? 0) + 1);
      expect(membership.size).toBeGreaterThan(0);
      expect([...membership.values()].every((n) => n === 1)).toBe(true);
      expect((await syncAgainst(sandbox, store, { configJson: strict })).plan.operations).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it('puts back a list member someone removed in Klaviyo, as drift', async () => {
    const sandbox = await startTestSandbox({ customers: 100, seed: 14 });
    try {
      const store = tempStorePath();
      await syncAgainst(sandbox, store);
      const state = await sandboxState(sandbox);
      const list = state.klaviyo.lists.find((l) => l.name === 'tiersync: Mid-Tier')!;
      const removedId = list.profile_ids[0]!;
      const response = await fetch(`${sandbox.klaviyoUrl}/api/lists/${list.id}/relationships/profiles`, {
        method: 'DELETE',
        headers: { authorization: `Klaviyo-API-Key ${sandbox.env.KLAVIYO_API_KEY}`, revision: '2026-07-15', 'content-type': 'application/vnd.api+json' },
        body: JSON.stringify({ data: [{ type: 'profile', id: removedId }] }),
      });
      expect(response.status).toBe(204);
      const repaired = await syncAgainst(sandbox, store);
      expect(repaired.plan.drift.lists).toBe(1);
      expect(repaired.plan.operations.map((op) => op.kind)).toEqual(['list_add']);
      expect((await sandboxState(sandbox)).klaviyo.lists.find((l) => l.id === list.id)!.profile_ids).toContain(removedId);
    } finally {
      await sandbox.close();
    }
  });
});

describe('a Klaviyo list renamed in the config', () => {
  it('moves tiersync\'s members to the new list, leaves others in the old one, then forgets it', async () => {
    const sandbox = await startTestSandbox({ customers: 160, seed: 15 });
    try {
      const store = tempStorePath();
      await syncAgainst(sandbox, store);
      const before = await sandboxState(sandbox);
      const oldList = before.klaviyo.lists.find((l) => l.name === 'tiersync: VIP')!;
      const stranger = before.klaviyo.profiles.find((p) => !oldList.profile_ids.includes(p.id))!;
      await fetch(`${sandbox.klaviyoUrl}/api/lists/${oldList.id}/relationships/profiles`, {
        method: 'POST',
        headers: { authorization: `Klaviyo-API-Key ${sandbox.env.KLAVIYO_API_KEY}`, revision: '2026-07-15', 'content-type': 'application/vnd.api+json' },
        body: JSON.stringify({ data: [{ type: 'profile', id: stranger.id }] }),
      });
      const renamed = { tiers: parseConfig({}, 't').tiers.map((t) => (t.id === 'vip' ? { ...t, list: 'tiersync: Gold VIP' } : t)) };
      const moved = await syncAgainst(sandbox, store, { configJson: renamed });
      expect(moved.plan.counts.list_remove).toBe(oldList.profile_ids.length);
      expect(moved.plan.counts.list_add).toBe(oldList.profile_ids.length);
      const after = await sandboxState(sandbox);
      expect(after.klaviyo.lists.find((l) => l.id === oldList.id)!.profile_ids).toEqual([stranger.id]);
      expect([...after.klaviyo.lists.find((l) => l.name === 'tiersync: Gold VIP')!.profile_ids].sort()).toEqual([...oldList.profile_ids].sort());
      const settled = await syncAgainst(sandbox, store, { configJson: renamed });
      expect(settled.plan.operations).toEqual([]);
      const db = openStore(store);
      expect(JSON.parse(db.cursors.getCursor('klaviyo.managed_lists')!)).not.toContain('tiersync: VIP');
      db.close();
    } finally {
      await sandbox.close();
    }
  });
});
