import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { syncWith } from '../../src/cli/sync-dependencies.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { readCredentials, type Credentials } from '../../src/config/env.ts';
import type { PlanOperation } from '../../src/reconcile/plan.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { silentProgress } from '../../src/sync/progress.ts';
import type { SyncOptions } from '../../src/sync/run-sync.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';

export const TIME_SCALE = 1000;

/** A fresh store path for one test. */
export function tempStorePath(): string {
  return join(mkdtempSync(join(tmpdir(), 'tiersync-sync-')), 'shop.db');
}

/**
 * Runs plan or sync in-process against a sandbox, with the real clock and a seeded random.
 * The report comes with every planned operation (`plan.operations`) and the segments as an
 * array, which a sync itself streams instead of keeping.
 */
export async function syncAgainst(
  sandbox: RunningSandbox,
  storePath: string,
  options: Partial<Omit<SyncOptions, 'config' | 'shop'>> & { configJson?: unknown; credentials?: Credentials } = {},
) {
  const { configJson, credentials, ...rest } = options;
  const operations: PlanOperation[] = [];
  const report = await syncWith(
    {
      credentials: credentials ?? readCredentials(sandbox.env),
      storePath,
      now: Date.now,
      sleep: (ms) => delay(ms),
      random: seededRandom(11),
      progress: silentProgress,
      klaviyoTimeScale: TIME_SCALE,
    },
    { mode: 'sync', force: false, config: parseConfig(configJson ?? {}, 'test config'), onPlannedOperations: (ops) => operations.push(...ops), ...rest },
  );
  return { ...report, plan: { ...report.plan, operations }, segments: [...report.segments] };
}

export async function sandboxState(sandbox: RunningSandbox) {
  const [shopify, klaviyo] = await Promise.all([
    fetch(`${sandbox.shopifyUrl}/__sandbox/state`).then((r) => r.json()),
    fetch(`${sandbox.klaviyoUrl}/__sandbox/state`).then((r) => r.json()),
  ]);
  return { shopify, klaviyo } as {
    shopify: { customers: { id: string; email: string | null; tags: string[] }[] };
    klaviyo: { profiles: { id: string; email: string; external_id: string | null; properties: Record<string, unknown> }[]; lists: { id: string; name: string; profile_ids: string[] }[] };
  };
}

export async function sandboxStats(sandbox: RunningSandbox) {
  const [shopify, klaviyo] = await Promise.all([
    fetch(`${sandbox.shopifyUrl}/__sandbox/stats`).then((r) => r.json()),
    fetch(`${sandbox.klaviyoUrl}/__sandbox/stats`).then((r) => r.json()),
  ]);
  return { shopify, klaviyo } as { shopify: { writes: Record<string, number>; throttled: number; requests: Record<string, Record<string, number>> }; klaviyo: { writes: Record<string, number>; rate_limited: number } };
}
