import { hostname } from 'node:os';
import type { Credentials } from '../config/env.ts';
import { createKlaviyoClient } from '../klaviyo/client.ts';
import { createShopifyClient } from '../shopify/client.ts';
import { defaultStorePath, openStore } from '../store/open-store.ts';
import { limitHeapGrowth } from './heap-growth.ts';
import type { LockHolder } from '../store/run-lease.ts';
import type { Progress } from '../sync/progress.ts';
import { runSync, type SyncOptions, type SyncReport } from '../sync/run-sync.ts';

export interface SyncRuntime {
  readonly credentials: Credentials;
  /** Default `./.tiersync/<shop>.db`. */
  readonly storePath?: string | undefined;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly progress: Progress;
  /** The sandbox's time scale, when talking to it (shortens Klaviyo's windows to match). */
  readonly klaviyoTimeScale?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs one sync with real dependencies: caps the process's heap growth (heap-growth.ts), opens
 * the shop's store, builds the Shopify and Klaviyo clients (Klaviyo only with a key), hands them
 * to `runSync`, and closes the store and the progress display afterwards.
 *
 * @example
 * const report = await syncWith({ credentials, now: Date.now, sleep, random: Math.random, progress },
 *   { mode: 'plan', force: false, config });
 */
export async function syncWith(runtime: SyncRuntime, options: Omit<SyncOptions, 'shop'>): Promise<SyncReport> {
  const { credentials, now, progress } = runtime;
  limitHeapGrowth();
  const store = openStore(runtime.storePath ?? defaultStorePath(credentials.shop), { now });
  try {
    const logger = { warn: (message: string) => progress.log(message) };
    const shopify = createShopifyClient({
      shop: credentials.shop, accessToken: credentials.shopifyToken, baseUrl: credentials.shopifyBaseUrl,
      sleep: runtime.sleep, now, random: runtime.random, logger,
    });
    const klaviyo = credentials.klaviyoApiKey
      ? createKlaviyoClient({
          apiKey: credentials.klaviyoApiKey, baseUrl: credentials.klaviyoBaseUrl, sleep: runtime.sleep, now,
          random: runtime.random, timeScale: runtime.klaviyoTimeScale ?? 1, logger,
        })
      : null;
    return await runSync({ store, shopify, klaviyo, now, random: runtime.random, lockHolder: thisProcess(), progress, signal: runtime.signal }, { ...options, shop: credentials.shop });
  } finally {
    progress.stop();
    store.close();
  }
}

/** This process as a lock holder: its pid and host; another pid on this host runs while signal 0 reaches it. */
export function thisProcess(): LockHolder {
  return {
    pid: process.pid,
    host: hostname(),
    isRunning(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
}
