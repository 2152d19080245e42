import type Database from 'better-sqlite3';
import { InternalError } from '../errors.ts';

/** Who holds (or asks for) the lock: enough for an operator to find the process. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

/** A held lock. `leaseId` changes with every acquisition, so a stale holder cannot renew. */
export interface Lease extends LockOwner {
  readonly shop: string;
  readonly leaseId: number;
  readonly acquiredAt: number;
  readonly expiresAt: number;
}

export type AcquireResult = { readonly acquired: true; readonly lease: Lease } | { readonly acquired: false; readonly heldBy: Lease };

export interface RunLock {
  /**
   * Takes the shop's lock for `ttlMs` unless another live lease holds it. A lease that expired
   * (its process crashed or stopped renewing) is taken over, so a crash never blocks forever;
   * so is one whose holder `isHolderAlive` says is gone (a killed process on this host), so
   * the next run need not wait for the lease to run out.
   */
  acquireLock(shop: string, owner: LockOwner, ttlMs: number, isHolderAlive?: (lease: Lease) => boolean): AcquireResult;
  /** Extends a lease still held; null when it expired and someone else took the lock. */
  renewLock(lease: Lease, ttlMs: number): Lease | null;
  /** Gives the lock up; false when the lease was no longer held. */
  releaseLock(lease: Lease): boolean;
}

interface LockRow {
  shop: string;
  lease_id: number;
  pid: number;
  host: string;
  acquired_at: number;
  expires_at: number;
}

/**
 * One-run-at-a-time per shop (docs/DESIGN.md "Runs") as a lease with an expiry. Taken inside an
 * IMMEDIATE transaction so that two processes on the same file cannot both win.
 *
 * @example
 * const lock = createRunLock(db, Date.now);
 * const result = lock.acquireLock('demo.myshopify.com', { pid: process.pid, host: hostname() }, 60_000);
 * if (result.acquired) lock.releaseLock(result.lease);
 */
export function createRunLock(db: Database.Database, now: () => number): RunLock {
  const select = db.prepare('SELECT * FROM locks WHERE shop = ?');
  const upsert = db.prepare(`
    INSERT INTO locks (shop, lease_id, pid, host, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (shop) DO UPDATE SET lease_id = excluded.lease_id, pid = excluded.pid, host = excluded.host,
      acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`);
  const extend = db.prepare('UPDATE locks SET expires_at = ? WHERE shop = ? AND lease_id = ? AND expires_at > ?');
  // Released leases are expired, not deleted, so the next lease id keeps counting up.
  const expire = db.prepare('UPDATE locks SET expires_at = 0 WHERE shop = ? AND lease_id = ? AND expires_at > ?');

  const acquire = db.transaction((shop: string, owner: LockOwner, ttlMs: number, isHolderAlive: (lease: Lease) => boolean): AcquireResult => {
    const at = now();
    const current = select.get(shop) as LockRow | undefined;
    if (current && current.expires_at > at && isHolderAlive(rowToLease(current))) return { acquired: false, heldBy: rowToLease(current) };
    const lease: Lease = {
      shop,
      leaseId: (current?.lease_id ?? 0) + 1,
      pid: owner.pid,
      host: owner.host,
      acquiredAt: at,
      expiresAt: at + ttlMs,
    };
    upsert.run(shop, lease.leaseId, lease.pid, lease.host, lease.acquiredAt, lease.expiresAt);
    return { acquired: true, lease };
  });

  return {
    acquireLock(shop, owner, ttlMs, isHolderAlive = () => true) {
      if (!(ttlMs > 0)) throw new InternalError(`run lock: ttlMs must be positive, got ${ttlMs}`);
      return acquire.immediate(shop, owner, ttlMs, isHolderAlive);
    },
    renewLock(lease, ttlMs) {
      const at = now();
      const expiresAt = at + ttlMs;
      return extend.run(expiresAt, lease.shop, lease.leaseId, at).changes === 1 ? { ...lease, expiresAt } : null;
    },
    releaseLock(lease) {
      return expire.run(lease.shop, lease.leaseId, now()).changes === 1;
    },
  };
}

function rowToLease(row: LockRow): Lease {
  return {
    shop: row.shop,
    leaseId: row.lease_id,
    pid: row.pid,
    host: row.host,
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
  };
}
