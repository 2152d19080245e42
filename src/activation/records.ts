import { z } from 'zod';
import type { Store } from '../store/open-store.ts';
import type { ActivationRecord, RecordKey } from './plan-activation.ts';

const RECORDS_CURSOR = 'activation.records';
const recordsSchema = z.record(z.string(), z.object({ id: z.string(), name: z.string() }));

/**
 * tiersync's record of the native segments it created or adopted (id and name by record key),
 * kept in the store's cursors: what makes a segment tiersync's rather than a merchant's of the
 * same name. An unreadable record counts as none (segments are then found by name again).
 *
 * @example
 * readActivationRecords(store).get('shopify_segment:vip'); // { id: 'gid://shopify/Segment/5100000002', name: 'tiersync: VIP' }
 */
export function readActivationRecords(store: Store): Map<RecordKey, ActivationRecord> {
  const text = store.cursors.getCursor(RECORDS_CURSOR);
  if (!text) return new Map();
  try {
    const parsed = recordsSchema.safeParse(JSON.parse(text));
    return parsed.success ? new Map(Object.entries(parsed.data)) : new Map();
  } catch {
    return new Map();
  }
}

/** Replaces the records, keys sorted (deterministic bytes). */
export function writeActivationRecords(store: Store, records: ReadonlyMap<RecordKey, ActivationRecord>): void {
  store.cursors.setCursor(RECORDS_CURSOR, JSON.stringify(Object.fromEntries([...records].sort(([a], [b]) => (a < b ? -1 : 1)))));
}
