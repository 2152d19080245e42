import { describe, expect, it } from 'vitest';
import { shopifyGraphQL, startTestSandbox } from '../helpers/sandbox.ts';
import { sandboxState, syncAgainst, tempStorePath } from './sync-helpers.ts';

const legacyId = (gid: string) => gid.split('/').pop()!;

/** tiersync's tier metafield of every customer, by numeric id (the sandbox holds fewer than 250). */
async function tierMetafields(sandbox: Parameters<typeof shopifyGraphQL>[0]): Promise<Map<string, string | null>> {
  const answer = await shopifyGraphQL(sandbox, '{ customers(first: 250) { nodes { id metafield(namespace: "tiersync", key: "tier") { value } } } }');
  const nodes = answer.body.data.customers.nodes as { id: string; metafield: { value: string } | null }[];
  return new Map(nodes.map((node) => [legacyId(node.id), node.metafield?.value ?? null]));
}

// Each test runs whole syncs against the sandbox (several seconds of CPU); on a loaded two-core
// machine they took up to 33 s, past the 30 s default, so this file allows more. Nothing here waits on the clock.
describe('observation: what was lost on the live side is put back', { timeout: 120_000 }, () => {
  it('after both emulators are reset, metafields come back every run, properties on --full, and the next plan is empty', async () => {
    const sandbox = await startTestSandbox({ customers: 150, seed: 8 });
    try {
      const store = tempStorePath();
      const first = await syncAgainst(sandbox, store);
      expect(first.applied).toMatchObject({ failed: 0 });
      const withEmail = first.segments.filter((s) => s.email !== null);

      await Promise.all([
        fetch(`${sandbox.shopifyUrl}/__sandbox/reset`, { method: 'POST' }),
        fetch(`${sandbox.klaviyoUrl}/__sandbox/reset`, { method: 'POST' }),
      ]);
      const reset = await sandboxState(sandbox);
      expect(reset.klaviyo.profiles.filter((p) => Object.keys(p.properties).some((k) => k.startsWith('tiersync_')))).toEqual([]);
      expect([...(await tierMetafields(sandbox)).values()].filter((value) => value !== null)).toEqual([]);

      // Within the cadence: tags, lists and metafields are read every run and come back...
      const plain = await syncAgainst(sandbox, store, { force: true });
      expect(plain.profilesObserved).toBeNull();
      expect(plain.plan.drift.metafields).toBeGreaterThan(0);
      const tiers = await tierMetafields(sandbox);
      for (const segment of first.segments) expect(tiers.get(legacyId(segment.customerId))).toBe(segment.tier);

      // ...while profile properties need the full read, which --full forces.
      const full = await syncAgainst(sandbox, store, { full: true, force: true });
      expect(full.profilesObserved).toBeGreaterThan(0);
      expect(full.plan.drift.profiles).toBeGreaterThan(0);
      expect(full.applied).toMatchObject({ failed: 0 });
      const restored = await sandboxState(sandbox);
      const byEmail = new Map(restored.klaviyo.profiles.map((p) => [p.email.toLowerCase(), p]));
      // One profile per email: a shared email carries the tier of one of its customers.
      const tiersByEmail = new Map<string, string[]>();
      for (const s of withEmail) tiersByEmail.set(s.email!.toLowerCase(), [...(tiersByEmail.get(s.email!.toLowerCase()) ?? []), s.tier]);
      for (const [email, tiers] of tiersByEmail) expect(tiers).toContain(byEmail.get(email)?.properties.tiersync_tier);

      const next = await syncAgainst(sandbox, store, { mode: 'plan', full: true });
      expect(next.profilesObserved).toBeGreaterThan(0);
      expect(next.plan.operations).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("never changes an existing profile's external_id; profiles tiersync creates get the numeric Shopify id", async () => {
    const sandbox = await startTestSandbox({ customers: 120, seed: 9 });
    try {
      const before = await sandboxState(sandbox);
      const merchant = before.klaviyo.profiles[0]!;
      // The merchant's own external_id on one profile, in a form tiersync would never send.
      await fetch(`${sandbox.klaviyoUrl}/api/profiles/${merchant.id}/`, {
        method: 'PATCH',
        headers: { authorization: `Klaviyo-API-Key ${sandbox.env.KLAVIYO_API_KEY}`, revision: '2026-07-15', 'content-type': 'application/vnd.api+json' },
        body: JSON.stringify({ data: { type: 'profile', id: merchant.id, attributes: { external_id: 'pos-000123' } } }),
      }).then((response) => expect(response.status).toBe(200));
      // Another profile whose customer's email changed in Shopify since: it keeps the customer's
      // numeric id but an old address. Sending that id with the new email would rewrite its email.
      const moved = before.klaviyo.profiles[1]!;
      await fetch(`${sandbox.klaviyoUrl}/api/profiles/${moved.id}/`, {
        method: 'PATCH',
        headers: { authorization: `Klaviyo-API-Key ${sandbox.env.KLAVIYO_API_KEY}`, revision: '2026-07-15', 'content-type': 'application/vnd.api+json' },
        body: JSON.stringify({ data: { type: 'profile', id: moved.id, attributes: { email: 'old-address@example.com' } } }),
      }).then((response) => expect(response.status).toBe(200));
      const existing = new Map(before.klaviyo.profiles.map((p) => [p.id, p.id === merchant.id ? 'pos-000123' : p.external_id]));

      const report = await syncAgainst(sandbox, tempStorePath());
      expect(report.applied).toMatchObject({ failed: 0 });
      const after = await sandboxState(sandbox);
      for (const profile of after.klaviyo.profiles.filter((p) => existing.has(p.id))) expect(profile.external_id).toBe(existing.get(profile.id));
      expect(after.klaviyo.profiles.find((p) => p.id === merchant.id)?.external_id).toBe('pos-000123');
      expect(after.klaviyo.profiles.find((p) => p.id === moved.id)).toMatchObject({ email: 'old-address@example.com', external_id: moved.external_id });
      const movedCustomer = after.klaviyo.profiles.find((p) => p.email.toLowerCase() === moved.email.toLowerCase());
      expect(movedCustomer?.external_id).toBeNull();

      const customerByEmail = new Map(report.segments.filter((s) => s.email).map((s) => [s.email!.toLowerCase(), s.customerId]));
      const created = after.klaviyo.profiles.filter((p) => !existing.has(p.id));
      expect(created.length).toBeGreaterThan(0);
      for (const profile of created.filter((p) => p.id !== movedCustomer?.id)) {
        expect(profile.external_id).toBe(legacyId(customerByEmail.get(profile.email.toLowerCase())!));
      }
    } finally {
      await sandbox.close();
    }
  });
});
