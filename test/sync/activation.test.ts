import { describe, expect, it } from 'vitest';
import { readActivationRecords } from '../../src/activation/records.ts';
import { openStore } from '../../src/store/open-store.ts';
import { shopifyGraphQL, startTestSandbox } from '../helpers/sandbox.ts';
import { syncAgainst, tempStorePath } from './sync-helpers.ts';

interface NativeState {
  shopify: { segments: { id: string; name: string; query: string }[]; metafield_definitions: { namespace: string; key: string; type: string; name: string }[] };
  klaviyo: { segments: { id: string; name: string; definition: { condition_groups: { conditions: { property: string; filter: { value: unknown } }[] }[] } }[] };
}

async function nativeState(sandbox: { shopifyUrl: string; klaviyoUrl: string }): Promise<NativeState> {
  const [shopify, klaviyo] = await Promise.all([
    fetch(`${sandbox.shopifyUrl}/__sandbox/state`).then((r) => r.json()),
    fetch(`${sandbox.klaviyoUrl}/__sandbox/state`).then((r) => r.json()),
  ]);
  return { shopify, klaviyo } as NativeState;
}

const NAMES = [
  'tiersync: Champions', 'tiersync: VIP', 'tiersync: High-Value', 'tiersync: Mid-Tier', 'tiersync: Low-Value', 'tiersync: New',
  'tiersync: At Risk', 'tiersync: Lapsed High-Value', 'tiersync: Lapsed Low-Value', 'tiersync: Reactivate', 'tiersync: Suppressed',
];

describe('activation: native segments and metafield definitions through the plan', () => {
  it('creates them on the first sync, nothing on the second, renames in place, leaves removed ones and never touches a merchant’s', async () => {
    const sandbox = await startTestSandbox({ customers: 120, seed: 14 });
    try {
      const storePath = tempStorePath();
      // A merchant's own segment with one of tiersync's names but another query.
      const merchant = (await shopifyGraphQL(sandbox, 'mutation($query: String!) { segmentCreate(name: "tiersync: Suppressed", query: $query) { segment { id } } }', { query: "customer_tags CONTAINS 'do-not-mail'" })).body;
      expect(merchant.data.segmentCreate.segment.id).toBe('gid://shopify/Segment/5100000001');

      const dry = await syncAgainst(sandbox, storePath, { mode: 'plan' });
      expect(dry.activation.operations.map((op) => op.kind).reduce<Record<string, number>>((counts, kind) => ({ ...counts, [kind]: (counts[kind] ?? 0) + 1 }), {})).toEqual({
        metafield_definition_create: 7,
        shopify_segment_create: 10,
        klaviyo_segment_create: 11,
      });
      expect(dry.activation.conflicts.map((c) => c.message)).toEqual(['shopify segment "tiersync: Suppressed" exists with another definition (not tiersync\'s): left as it is']);
      expect((await nativeState(sandbox)).shopify.segments).toHaveLength(1);

      const first = await syncAgainst(sandbox, storePath);
      expect(first.applied?.activation).toEqual({
        confirmedByKind: { metafield_definition_create: 7, metafield_definition_update: 0, shopify_segment_create: 10, shopify_segment_update: 0, klaviyo_segment_create: 11, klaviyo_segment_update: 0 },
        failed: [],
      });
      const afterFirst = await nativeState(sandbox);
      expect(afterFirst.shopify.segments.map((s) => [s.name, s.query])).toEqual([
        ['tiersync: Suppressed', "customer_tags CONTAINS 'do-not-mail'"],
        ['tiersync: Champions', "customer_tags CONTAINS 'ltv:champion'"],
        ['tiersync: VIP', "customer_tags CONTAINS 'ltv:vip'"],
        ['tiersync: High-Value', "customer_tags CONTAINS 'ltv:high-value'"],
        ['tiersync: Mid-Tier', "customer_tags CONTAINS 'ltv:mid-tier'"],
        ['tiersync: Low-Value', "customer_tags CONTAINS 'ltv:low-value'"],
        ['tiersync: New', "customer_tags CONTAINS 'ltv:new'"],
        ['tiersync: At Risk', "customer_tags CONTAINS 'churn:at-risk'"],
        ['tiersync: Lapsed High-Value', "customer_tags CONTAINS 'lapsed:high-value'"],
        ['tiersync: Lapsed Low-Value', "customer_tags CONTAINS 'lapsed:low-value'"],
        ['tiersync: Reactivate', "customer_tags CONTAINS 'reactivate'"],
      ]);
      expect(afterFirst.shopify.metafield_definitions).toEqual([
        { namespace: 'tiersync', key: 'tier', type: 'single_line_text_field', name: 'tiersync tier' },
        { namespace: 'tiersync', key: 'ltv', type: 'number_decimal', name: 'tiersync LTV' },
        { namespace: 'tiersync', key: 'churn_risk', type: 'number_integer', name: 'tiersync churn risk' },
        { namespace: 'tiersync', key: 'rfm', type: 'single_line_text_field', name: 'tiersync RFM code' },
        { namespace: 'tiersync', key: 'rfm_segment', type: 'single_line_text_field', name: 'tiersync RFM segment' },
        { namespace: 'tiersync', key: 'frequency_trend', type: 'single_line_text_field', name: 'tiersync frequency trend' },
        { namespace: 'tiersync', key: 'predicted_clv', type: 'number_decimal', name: 'tiersync predicted CLV' },
      ]);
      expect(afterFirst.klaviyo.segments.map((s) => s.name)).toEqual(NAMES);
      const vip = afterFirst.klaviyo.segments.find((s) => s.name === 'tiersync: VIP')!;
      expect(vip.definition).toEqual({
        condition_groups: [{ conditions: [{ type: 'profile-property', property: "properties['tiersync_tier']", filter: { type: 'string', operator: 'equals', value: 'vip' } }] }],
      });
      const suppressed = afterFirst.klaviyo.segments.find((s) => s.name === 'tiersync: Suppressed')!;
      expect(suppressed.definition.condition_groups[0]!.conditions[0]).toEqual({ type: 'profile-property', property: "properties['tiersync_suppressed']", filter: { type: 'boolean', operator: 'equals', value: true } });

      const second = await syncAgainst(sandbox, storePath);
      expect(second.activation.operations).toEqual([]);
      expect(second.applied?.activation.confirmedByKind).toEqual({ metafield_definition_create: 0, metafield_definition_update: 0, shopify_segment_create: 0, shopify_segment_update: 0, klaviyo_segment_create: 0, klaviyo_segment_update: 0 });

      // A crash after the creates landed but before they were confirmed: tiersync's records are
      // lost; the next run finds its segments by name and definition and adopts them, creating none.
      const crashed = openStore(storePath);
      crashed.cursors.setCursor('activation.records', '');
      crashed.close();
      const resumed = await syncAgainst(sandbox, storePath);
      expect(resumed.activation.operations).toEqual([]);
      expect(resumed.activation.adopted).toHaveLength(21);
      expect((await nativeState(sandbox)).klaviyo.segments).toHaveLength(11);

      // A rename in the config updates both platforms in place (same ids); a removed tier's segments stay.
      const renamed = { activation: { segment_names: { vip: 'tiersync: Very Important' }, metafields: { tier: { name: 'Customer tier', description: 'by tiersync' } } } };
      const third = await syncAgainst(sandbox, storePath, { configJson: renamed });
      expect(third.activation.operations.map((op) => [op.kind, op.target])).toEqual([
        ['metafield_definition_update', 'metafield_definition:tiersync.tier'],
        ['shopify_segment_update', 'shopify_segment:vip'],
        ['klaviyo_segment_update', 'klaviyo_segment:vip'],
      ]);
      const afterRename = await nativeState(sandbox);
      expect(afterRename.shopify.segments.find((s) => s.id === 'gid://shopify/Segment/5100000003')?.name).toBe('tiersync: Very Important');
      expect(afterRename.klaviyo.segments.find((s) => s.id === vip.id)?.name).toBe('tiersync: Very Important');
      expect(afterRename.klaviyo.segments).toHaveLength(11);
      expect(afterRename.shopify.metafield_definitions[0]).toEqual({ namespace: 'tiersync', key: 'tier', type: 'single_line_text_field', name: 'Customer tier' });
      expect((await syncAgainst(sandbox, storePath, { configJson: renamed })).activation.operations).toEqual([]);

      const fourTiers = {
        ...renamed,
        tiers: [
          { id: 'champion', label: 'Champions', cumulative_share: 0.01, tag: 'ltv:champion', list: 'tiersync: Champions', reactivation_days: 60 },
          { id: 'vip', label: 'VIP', cumulative_share: 0.1, tag: 'ltv:vip', list: 'tiersync: VIP', reactivation_days: 75 },
          { id: 'mid_tier', label: 'Mid-Tier', cumulative_share: 0.8, tag: 'ltv:mid-tier', list: 'tiersync: Mid-Tier', reactivation_days: 120 },
          { id: 'low_value', label: 'Low-Value', cumulative_share: 1, tag: 'ltv:low-value', list: 'tiersync: Low-Value', reactivation_days: 180 },
        ],
        churn: { declining_tiers: [] },
      };
      const removed = await syncAgainst(sandbox, storePath, { configJson: fourTiers, force: true });
      expect(removed.activation.operations).toEqual([]);
      expect(removed.activation.leftInPlace.map((l) => [l.key, l.record.name])).toEqual([
        ['klaviyo_segment:high_value', 'tiersync: High-Value'],
        ['shopify_segment:high_value', 'tiersync: High-Value'],
      ]);
      expect((await nativeState(sandbox)).shopify.segments.map((s) => s.name)).toContain('tiersync: High-Value');
      const store = openStore(storePath);
      expect([...readActivationRecords(store).keys()].filter((key) => key.endsWith(':high_value'))).toEqual([]);
      store.close();
    } finally {
      await sandbox.close();
    }
  });
});
