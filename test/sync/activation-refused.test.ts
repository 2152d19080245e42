import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { createKlaviyoClient } from '../../src/klaviyo/client.ts';
import { createKlaviyoSandbox, type KlaviyoSandbox } from '../../src/sandbox/klaviyo/server.ts';
import type { ShopifyClient } from '../../src/shopify/client.ts';
import { applyActivation, planActivationStage } from '../../src/sync/activation-stage.ts';
import { silentProgress } from '../../src/sync/progress.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';
import { tempStore } from '../store/temp-store.ts';

const API_KEY = 'pk_sandbox_test_key';
// Klaviyo segments only: the Shopify client is never called.
const config = parseConfig({ activation: { shopify_segments: false, metafield_definitions: false } }, 'test config');
const noShopify = {} as ShopifyClient;

let running: KlaviyoSandbox | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

/** One clock for the sandbox and the client, moved only by the client's sleeps: windows are exact. */
function manualClock() {
  let at = Date.UTC(2026, 11, 1, 9, 0, 0);
  return { now: () => at, sleep: async (ms: number) => void (at += ms) };
}

async function merchantCreatesSegment(baseUrl: string, name: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/segments`, {
    method: 'POST',
    headers: { Authorization: `Klaviyo-API-Key ${API_KEY}`, revision: '2026-07-15', 'Content-Type': 'application/vnd.api+json', Accept: 'application/vnd.api+json' },
    body: JSON.stringify({ data: { type: 'segment', attributes: { name, definition: { condition_groups: [{ conditions: [{ type: 'profile-property', property: "properties['vip']", filter: { type: 'boolean', operator: 'equals', value: true } }] }] } } } }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('activation: a Klaviyo segment create that is refused', () => {
  it('waits out a 429 (the account’s burst spent by another app) and creates every segment in one run', async () => {
    const clock = manualClock();
    running = createKlaviyoSandbox({ apiKey: API_KEY, seed: 5, timeScale: 1, now: clock.now, sleep: clock.sleep });
    const baseUrl = await running.listen(0, '127.0.0.1');
    const klaviyo = createKlaviyoClient({ apiKey: API_KEY, baseUrl, sleep: clock.sleep, now: clock.now, random: seededRandom(1), timeScale: 1 });
    const { store } = tempStore();
    // create_segment is 1/s per account: this spends the second tiersync's first create lands in.
    expect(await merchantCreatesSegment(baseUrl, 'Winback (merchant)')).toBe(201);

    const plan = await planActivationStage({ store, config, shopify: noShopify, klaviyo, progress: silentProgress });
    expect(plan.operations.map((op) => op.kind)).toEqual(Array(11).fill('klaviyo_segment_create'));
    const result = await applyActivation({ store, runId: store.runs.startRun().id, plan, shopify: noShopify, klaviyo });

    expect(result.failed).toEqual([]);
    expect(result.confirmedByKind.klaviyo_segment_create).toBe(11);
    expect(running.state().segments.map((s) => s.name)).toEqual([
      'Winback (merchant)', 'tiersync: Champions', 'tiersync: VIP', 'tiersync: High-Value', 'tiersync: Mid-Tier', 'tiersync: Low-Value', 'tiersync: New',
      'tiersync: At Risk', 'tiersync: Lapsed High-Value', 'tiersync: Lapsed Low-Value', 'tiersync: Reactivate', 'tiersync: Suppressed',
    ]);
    expect(running.stats().requests.create_segment).toEqual({ '201': 12, '429': 1 });
    const next = await planActivationStage({ store, config, shopify: noShopify, klaviyo, progress: silentProgress });
    expect(next.operations).toEqual([]);
  });
});
