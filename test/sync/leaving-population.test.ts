import { describe, expect, it } from 'vitest';
import { managedListNames, managedTags } from '../../src/reconcile/managed.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { shopifyGraphQL, startTestSandbox } from '../helpers/sandbox.ts';
import { sandboxState, sandboxStats, syncAgainst, tempStorePath } from './sync-helpers.ts';

const config = parseConfig({}, 'test');
const legacyId = (gid: string) => gid.split('/').pop()!;

describe('a customer who leaves the segmented population', () => {
  it('has every order cancelled: the next sync takes off tiersync\'s tags, metafields, properties and list memberships, once', async () => {
    const sandbox = await startTestSandbox({ customers: 150, seed: 14 });
    try {
      const store = tempStorePath();
      const first = await syncAgainst(sandbox, store);
      const before = await sandboxState(sandbox);
      const profileIds = new Set(before.klaviyo.profiles.map((p) => p.id));
      // A VIP with an email, a Klaviyo profile and merchant tags of their own.
      const leaver = first.segments.find((s) => s.tier === 'vip' && s.email && before.klaviyo.profiles.some((p) => p.email.toLowerCase() === s.email!.toLowerCase()))!;
      const id = legacyId(leaver.customerId);
      const merchantTags = before.shopify.customers.find((c) => c.id === id)!.tags.filter((t) => !managedTags(config).has(t.toLowerCase()));
      for (const order of sandbox.shopify.state().orders.filter((o) => o.customer_id === id && !o.cancelled_at)) sandbox.shopify.mutateOrder(order.id, { cancel: true });

      const second = await syncAgainst(sandbox, store, { force: true });
      expect(second.segments.some((s) => s.customerId === leaver.customerId)).toBe(false);
      const kinds = second.plan.operations.filter((op) => op.target === leaver.customerId || op.target === leaver.email!.toLowerCase()).map((op) => op.kind);
      expect(new Set(kinds)).toEqual(new Set(['tags_remove', 'metafields_delete', 'profiles_unset', 'list_remove']));
      expect(second.applied).toMatchObject({ failed: 0 });

      const after = await sandboxState(sandbox);
      expect(after.shopify.customers.find((c) => c.id === id)!.tags.sort()).toEqual([...merchantTags].sort());
      const metafields = await shopifyGraphQL(sandbox, `{ customer(id: "${leaver.customerId}") { metafields(first: 20, namespace: "tiersync") { nodes { key } } } }`);
      expect(metafields.body.data.customer.metafields.nodes).toEqual([]);
      const profile = after.klaviyo.profiles.find((p) => p.email.toLowerCase() === leaver.email!.toLowerCase())!;
      expect(Object.keys(profile.properties).filter((key) => key.startsWith('tiersync_'))).toEqual([]);
      const managed = new Set(managedListNames(config));
      expect(after.klaviyo.lists.filter((l) => managed.has(l.name) && l.profile_ids.includes(profile.id)).map((l) => l.name)).toEqual([]);
      // No profile was created for the cleanup.
      expect(after.klaviyo.profiles.filter((p) => !profileIds.has(p.id)).length).toBe(0);

      const writes = await sandboxStats(sandbox);
      const third = await syncAgainst(sandbox, store);
      expect(third.plan.operations).toEqual([]);
      expect((await sandboxStats(sandbox)).shopify.writes).toEqual(writes.shopify.writes);
    } finally {
      await sandbox.close();
    }
  });
});
