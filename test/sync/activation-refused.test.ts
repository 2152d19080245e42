import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
let proxy: Server | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  proxy = null;
});

/** Forwards to the sandbox; the answer to the first create_segment is dropped after it landed (connection reset). */
async function losingFirstCreateAnswer(target: string): Promise<string> {
  let dropped = false;
  proxy = createServer((incoming, outgoing) => {
    const upstream = httpRequest(`${target}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        if (!dropped && incoming.method === 'POST' && incoming.url === '/api/segments') {
          dropped = true;
          incoming.socket.destroy();
          return;
        }
        outgoing.writeHead(answer.statusCode ?? 500, answer.headers).end(Buffer.concat(chunks));
      });
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy!.address() as AddressInfo).port}`;
}

const TIERSYNC_NAMES = [
  'tiersync: Champions', 'tiersync: VIP', 'tiersync: High-Value', 'tiersync: Mid-Tier', 'tiersync: Low-Value', 'tiersync: New',
  'tiersync: At Risk', 'tiersync: Lapsed High-Value', 'tiersync: Lapsed Low-Value', 'tiersync: Reactivate', 'tiersync: Suppressed',
];

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
    expect(running.state().segments.map((s) => s.name)).toEqual(['Winback (merchant)', ...TIERSYNC_NAMES]);
    expect(running.stats().requests.create_segment).toEqual({ '201': 12, '429': 1 });
    const next = await planActivationStage({ store, config, shopify: noShopify, klaviyo, progress: silentProgress });
    expect(next.operations).toEqual([]);
  });

  it('finds the segment a create whose answer was lost made, and creates no second one', async () => {
    const clock = manualClock();
    running = createKlaviyoSandbox({ apiKey: API_KEY, seed: 6, timeScale: 1, now: clock.now, sleep: clock.sleep });
    const baseUrl = await losingFirstCreateAnswer(await running.listen(0, '127.0.0.1'));
    const klaviyo = createKlaviyoClient({ apiKey: API_KEY, baseUrl, sleep: clock.sleep, now: clock.now, random: seededRandom(1), timeScale: 1 });
    const { store } = tempStore();

    const plan = await planActivationStage({ store, config, shopify: noShopify, klaviyo, progress: silentProgress });
    const result = await applyActivation({ store, runId: store.runs.startRun().id, plan, shopify: noShopify, klaviyo });

    expect(result.failed).toEqual([]);
    expect(result.confirmedByKind.klaviyo_segment_create).toBe(11);
    expect(running.state().segments.map((s) => s.name)).toEqual(TIERSYNC_NAMES);
    expect(running.stats().requests.create_segment).toEqual({ '201': 11 });
    expect((await planActivationStage({ store, config, shopify: noShopify, klaviyo, progress: silentProgress })).operations).toEqual([]);
  });

  it('reports every create refused for the day, and creates them once the day has passed', async () => {
    const clock = manualClock();
    running = createKlaviyoSandbox({ apiKey: API_KEY, seed: 7, timeScale: 1, now: clock.now, sleep: clock.sleep });
    const baseUrl = await running.listen(0, '127.0.0.1');
    const klaviyo = createKlaviyoClient({ apiKey: API_KEY, baseUrl, sleep: clock.sleep, now: clock.now, random: seededRandom(1), timeScale: 1 });
    const { store } = tempStore();
    // The account's 100 creates of the day, spent by someone else (one every 4.1 s stays inside 1/s and 15/m).
    for (let i = 0; i < 100; i++) {
      expect(await merchantCreatesSegment(baseUrl, `Merchant ${i}`)).toBe(201);
      await clock.sleep(4100);
    }

    const plan = await planActivationStage({ store, config, shopify: noShopify, klaviyo, progress: silentProgress });
    const refused = await applyActivation({ store, runId: store.runs.startRun().id, plan, shopify: noShopify, klaviyo });
    expect(refused.confirmedByKind.klaviyo_segment_create).toBe(0);
    // 100 creates × 4.1 s from 09:00:00 end at 09:06:50: the day's window has 85,990 s left.
    // The first create is refused; the other ten are not sent (each would be refused too).
    expect(refused.failed.map((f) => f.target)).toEqual([
      'klaviyo_segment:champion', 'klaviyo_segment:vip', 'klaviyo_segment:high_value', 'klaviyo_segment:mid_tier', 'klaviyo_segment:low_value', 'klaviyo_segment:new',
      'klaviyo_segment:at_risk', 'klaviyo_segment:lapsed_high_value', 'klaviyo_segment:lapsed_low_value', 'klaviyo_segment:reactivate', 'klaviyo_segment:suppressed',
    ]);
    expect(refused.failed[0]!.error).toBe('klaviyo POST /api/segments: HTTP 429: Klaviyo refuses segment creation for another 85990 s (create_segment allows 100 a day per account): "tiersync: Champions" not created this run, the next sync tries again');
    expect(refused.failed[10]!.error).toBe('klaviyo POST /api/segments: HTTP 429: Klaviyo refuses segment creation for another 85990 s (create_segment allows 100 a day per account): "tiersync: Suppressed" not created this run, the next sync tries again');
    expect(running.stats().requests.create_segment).toEqual({ '201': 100, '429': 1 });

    await clock.sleep(86_400_000);
    const nextDay = await planActivationStage({ store, config, shopify: noShopify, klaviyo, progress: silentProgress });
    expect(nextDay.operations).toHaveLength(11);
    const created = await applyActivation({ store, runId: store.runs.startRun().id, plan: nextDay, shopify: noShopify, klaviyo });
    expect(created).toEqual({
      confirmedByKind: { metafield_definition_create: 0, metafield_definition_update: 0, shopify_segment_create: 0, shopify_segment_update: 0, klaviyo_segment_create: 11, klaviyo_segment_update: 0 },
      failed: [],
    });
    expect(running.state().segments.slice(100).map((s) => s.name)).toEqual(TIERSYNC_NAMES);
  });
});
