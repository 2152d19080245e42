import type { PlanOperation } from '../reconcile/plan.ts';
import type { ShopifyClient } from '../shopify/client.ts';
import { deleteMetafields } from '../shopify/operations/delete-metafields.ts';
import { runBulkMetafieldsSet } from '../shopify/operations/run-bulk-metafields-set.ts';
import { setMetafields, type MetafieldResult, type MetafieldValue } from '../shopify/operations/set-metafields.ts';
import { BULK_TAG_MUTATION_THRESHOLD, writeTagChanges } from '../shopify/operations/write-tag-changes.ts';
import type { TagChangeResult } from '../shopify/tag-change.ts';
import type { ApplyJournal } from './journaled-apply.ts';
import type { Progress } from './progress.ts';

/** Operations sent per journal step: large enough for the bulk path, small enough to resume cheaply. */
const CHUNK = 20_000;

export interface ShopifyApplyResult {
  readonly notFound: string[];
  readonly atTagLimit: string[];
  readonly rejected: { readonly target: string; readonly reason: string }[];
}

type TagOp = Extract<PlanOperation, { kind: 'tags_add' | 'tags_remove' }>;
type MetafieldOp = Extract<PlanOperation, { kind: 'metafields_set' }>;
type MetafieldDeleteOp = Extract<PlanOperation, { kind: 'metafields_delete' }>;

/**
 * Writes the Shopify part of a plan: tag removals, tag additions, metafields, then the
 * metafields of customers who left the segmented population, in
 * journaled chunks. Small chunks go as aliased mutations, large ones as bulk mutations
 * (BULK_TAG_MUTATION_THRESHOLD, measured). A deleted customer or one at the 250-tag limit is
 * reported and recorded as failed in the journal; it never stops the run.
 *
 * @example
 * const result = await applyShopify({ shopify, journal, progress }, plan.operations);
 */
export async function applyShopify(
  deps: { shopify: ShopifyClient; journal: ApplyJournal; progress: Progress; metafieldNamespace: string; signal?: AbortSignal | undefined },
  operations: readonly PlanOperation[],
): Promise<ShopifyApplyResult> {
  const result: ShopifyApplyResult = { notFound: [], atTagLimit: [], rejected: [] };
  const write = writeTagChanges({ client: deps.shopify });
  for (const [kind, mutation] of [['tags_remove', 'tagsRemove'], ['tags_add', 'tagsAdd']] as const) {
    const ops = operations.filter((op): op is TagOp => op.kind === kind);
    if (!ops.length) continue;
    const phase = deps.progress.phase(`Shopify ${kind.replace('_', ' ')}`, ops.length);
    for (const chunk of chunks(ops, CHUNK)) {
      const byCustomer = new Map(chunk.map((op) => [op.target, op]));
      const settled = new Set<string>();
      // Aliased writes report each request as it lands (onBatch), then all results once more:
      // each customer is settled once.
      const settle = (results: readonly TagChangeResult[]) => {
        const before = settled.size;
        const ok: TagOp[] = [];
        for (const r of results) {
          const op = byCustomer.get(r.customerId);
          if (!op || settled.has(r.customerId)) continue;
          settled.add(r.customerId);
          if (r.outcome === 'applied') ok.push(op);
          else {
            deps.journal.fail([op], `${r.outcome}: ${r.messages.join('; ')}`);
            if (r.outcome === 'not-found') result.notFound.push(r.customerId);
            else if (r.outcome === 'tag-limit') result.atTagLimit.push(r.customerId);
            else result.rejected.push({ target: r.customerId, reason: r.messages.join('; ') });
          }
        }
        deps.journal.confirm(ok);
        phase.tick(settled.size - before);
      };
      deps.signal?.throwIfAborted();
      deps.journal.sent(chunk);
      const summary = await write({
        mutation,
        changes: chunk.map((op) => ({ customerId: op.target, tags: op.payload.tags })),
        bulkThreshold: BULK_TAG_MUTATION_THRESHOLD,
        onBatch: settle,
      });
      settle(summary.results);
    }
    phase.done();
  }

  const metafieldOps = operations.filter((op): op is MetafieldOp => op.kind === 'metafields_set');
  if (metafieldOps.length) {
    const phase = deps.progress.phase('Shopify metafields', metafieldOps.length);
    const single = setMetafields({ client: deps.shopify });
    const bulk = runBulkMetafieldsSet({ client: deps.shopify });
    for (const chunk of chunks(metafieldOps, CHUNK)) {
      const values: MetafieldValue[] = chunk.flatMap((op) =>
        op.payload.metafields.map((m) => ({ ownerId: op.target, namespace: deps.metafieldNamespace, key: m.key, type: m.type, value: m.value })),
      );
      deps.signal?.throwIfAborted();
      deps.journal.sent(chunk);
      const results: MetafieldResult[] = chunk.length < BULK_TAG_MUTATION_THRESHOLD ? await single(values) : (await bulk({ values })).results;
      const rejectedOwners = new Map<string, string>();
      for (const r of results) if (r.outcome !== 'applied') rejectedOwners.set(r.ownerId, r.messages.join('; '));
      const ok = chunk.filter((op) => !rejectedOwners.has(op.target));
      for (const op of chunk) {
        const reason = rejectedOwners.get(op.target);
        if (reason === undefined) continue;
        deps.journal.fail([op], `metafields rejected: ${reason}`);
        result.rejected.push({ target: op.target, reason });
      }
      deps.journal.confirm(ok);
      phase.tick(chunk.length);
    }
    phase.done();
  }
  const deleteOps = operations.filter((op): op is MetafieldDeleteOp => op.kind === 'metafields_delete');
  if (deleteOps.length) {
    const phase = deps.progress.phase('Shopify metafield removals', deleteOps.length);
    const remove = deleteMetafields({ client: deps.shopify });
    for (const chunk of chunks(deleteOps, CHUNK)) {
      deps.signal?.throwIfAborted();
      deps.journal.sent(chunk);
      const rejectedOwners = await remove(chunk.flatMap((op) => op.payload.keys.map((key) => ({ ownerId: op.target, namespace: deps.metafieldNamespace, key }))));
      for (const op of chunk) {
        const reason = rejectedOwners.get(op.target);
        if (reason === undefined) continue;
        deps.journal.fail([op], `metafields delete rejected: ${reason}`);
        result.rejected.push({ target: op.target, reason });
      }
      deps.journal.confirm(chunk.filter((op) => !rejectedOwners.has(op.target)));
      phase.tick(chunk.length);
    }
    phase.done();
  }
  return result;
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
