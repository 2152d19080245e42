import { describe, expect, it } from 'vitest';
import { planActivation, type ActivationObservation, type ActivationRecord } from '../../src/activation/plan-activation.ts';
import { activationSegments } from '../../src/activation/segment-definitions.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { sameDefinition } from '../../src/klaviyo/segments.ts';

const config = parseConfig({ activation: { metafield_definitions: false } }, 'test');
const segments = activationSegments(config);
/** Shopify holds all of tiersync's segments as tiersync would create them, ids s0, s1, … */
const allShopify = segments.map((s, i) => ({ id: `s${i}`, name: s.segmentName, definition: s.shopifyQuery as string }));
const allKlaviyo = segments.map((s, i) => ({ id: `k${i}`, name: s.segmentName, definition: structuredClone(s.klaviyoDefinition) as unknown }));
const observed = (over: Partial<ActivationObservation> = {}): ActivationObservation => ({ shopifySegments: allShopify, metafieldDefinitions: null, klaviyoSegments: allKlaviyo, ...over });
const plan = (obs: ActivationObservation, records: Map<string, ActivationRecord> = new Map(), cfg = config) =>
  planActivation({ config: cfg, observed: obs, records, sameKlaviyoDefinition: sameDefinition });

describe('planActivation', () => {
  it('adopts a segment found by name with its definition (a create whose answer was lost) instead of creating it again', () => {
    const result = plan(observed());
    expect(result.operations).toEqual([]);
    expect(result.adopted).toHaveLength(22);
    expect(result.adopted[1]).toEqual({ key: 'shopify_segment:vip', record: { id: 's1', name: 'tiersync: VIP' } });
  });

  it('creates only what is missing, in display order', () => {
    const result = plan(observed({ shopifySegments: allShopify.slice(2), klaviyoSegments: [] }));
    expect(result.operations.filter((op) => op.kind === 'shopify_segment_create').map((op) => op.target)).toEqual(['shopify_segment:champion', 'shopify_segment:vip']);
    expect(result.operations.filter((op) => op.kind === 'klaviyo_segment_create')).toHaveLength(11);
  });

  it("never touches a merchant's segment of the same name, nor renames onto one", () => {
    const merchants = allShopify.map((s) => (s.name === 'tiersync: VIP' ? { ...s, definition: "customer_tags CONTAINS 'vip-club'" } : s));
    const taken = plan(observed({ shopifySegments: merchants }));
    expect(taken.operations).toEqual([]);
    expect(taken.conflicts).toEqual([{ key: 'shopify_segment:vip', message: 'shopify segment "tiersync: VIP" exists with another definition (not tiersync\'s): left as it is' }]);

    const renamed = parseConfig({ activation: { metafield_definitions: false, segment_names: { vip: 'tiersync: Champions' } } }, 'test');
    const records = new Map([['shopify_segment:vip', { id: 's1', name: 'tiersync: VIP' }], ['shopify_segment:champion', { id: 's0', name: 'tiersync: Champions' }]]);
    const clash = plan(observed({ klaviyoSegments: null }), records, renamed);
    expect(clash.conflicts.map((c) => c.message)).toContain('shopify segment "tiersync: Champions" belongs to someone else: tiersync\'s "tiersync: VIP" keeps its name');
  });

  it('updates a recorded segment in place when the config renames it or its tag changes', () => {
    const records = new Map([['klaviyo_segment:vip', { id: 'k1', name: 'tiersync: VIP' }], ['shopify_segment:vip', { id: 's1', name: 'tiersync: VIP' }]]);
    const cfg = parseConfig({ activation: { metafield_definitions: false, segment_names: { vip: 'tiersync: VIPs' } }, tiers: config.tiers.map((t) => (t.id === 'vip' ? { ...t, tag: 'ltv:gold' } : t)) }, 'test');
    const result = plan(observed(), records, cfg);
    expect(result.operations).toEqual([
      { kind: 'shopify_segment_update', target: 'shopify_segment:vip', payload: { id: 's1', previousName: 'tiersync: VIP', name: 'tiersync: VIPs', query: "customer_tags CONTAINS 'ltv:gold'" } },
      { kind: 'klaviyo_segment_update', target: 'klaviyo_segment:vip', payload: { id: 'k1', previousName: 'tiersync: VIP', name: 'tiersync: VIPs', definition: segments[1]!.klaviyoDefinition } },
    ]);
  });

  it('defines missing metafields, renames one whose name the config changed, and reports one defined with another type', () => {
    const withDefinitions = parseConfig({}, 'test');
    const result = plan(observed({ metafieldDefinitions: [{ namespace: 'tiersync', key: 'tier', type: 'multi_line_text_field', name: 'Tier', description: null }] }), new Map(), withDefinitions);
    expect(result.operations.filter((op) => op.kind === 'metafield_definition_create').map((op) => op.target)).toEqual([
      'metafield_definition:tiersync.ltv', 'metafield_definition:tiersync.churn_risk', 'metafield_definition:tiersync.rfm',
      'metafield_definition:tiersync.rfm_segment', 'metafield_definition:tiersync.frequency_trend', 'metafield_definition:tiersync.predicted_clv',
    ]);
    expect(result.conflicts).toEqual([{ key: 'metafield_definition:tiersync.tier', message: 'metafield definition tiersync.tier exists with type multi_line_text_field, not single_line_text_field: left as it is' }]);

    const ltv = { namespace: 'tiersync', key: 'ltv', type: 'number_decimal', name: 'tiersync LTV', description: 'Historical lifetime value: net revenue of the last 730 days, in shop currency' };
    const same = plan(observed({ metafieldDefinitions: [ltv] }), new Map(), withDefinitions);
    expect(same.operations.map((op) => op.target)).not.toContain('metafield_definition:tiersync.ltv');
    const renamed = plan(observed({ metafieldDefinitions: [{ ...ltv, name: 'LTV (old name)' }] }), new Map(), withDefinitions);
    expect(renamed.operations.find((op) => op.target === 'metafield_definition:tiersync.ltv')).toMatchObject({ kind: 'metafield_definition_update', payload: { name: 'tiersync LTV' } });
  });
});
