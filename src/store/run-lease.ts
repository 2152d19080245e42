import type { Store } from './open-store.ts';
import type { Lease } from './run-lock.ts';
import { UserError } from '../errors.ts';

/** A lock lease outlives a crashed run by at most this long (docs/DESIGN.md "Runs": one run at a time). */
export const LOCK_TTL_MS = 5 * 60_000;
const LOCK_RENEW_MS = 60_000;

/** The process asking for the lock, and how to tell whether another holder on this host still runs. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  isRunning(pid: number): boolean;
}

/**
 * Runs `fn` holding the shop's run lock: taken before, renewed every minute while `fn` runs,
 * released after (also when it throws). A lease whose process on this host is gone is taken
 * over at once; a live one (or one on another host, until it expires) refuses the run.
 *
 * @example
 * await holdRunLock(store, 'demo.myshopify.com', nodeLockHolder(), () => syncStages());
 */
export async function holdRunLock<T>(store: Store, shop: string, holder: LockHolder, fn: () => Promise<T>): Promise<T> {
  const result = store.lock.acquireLock(shop, { pid: holder.pid, host: holder.host }, LOCK_TTL_MS, (held) => held.host !== holder.host || holder.isRunning(held.pid));
  if (!result.acquired) {
    const { pid, host, expiresAt } = result.heldBy;
    throw new UserError(
      `another tiersync run holds the lock for ${shop} (pid ${pid} on ${host}); it expires at ${new Date(expiresAt).toISOString()} if that run has died. Try again after it finishes.`,
    );
  }
  const lease: Lease = result.lease;
  const renew = setInterval(() => store.lock.renewLock(lease, LOCK_TTL_MS), LOCK_RENEW_MS);
  renew.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    store.lock.releaseLock(lease);
  }
}
