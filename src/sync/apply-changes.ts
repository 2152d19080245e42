import type { Config } from '../config/schema.ts';
import type { KlaviyoClient } from '../klaviyo/client.ts';
import { managedListNames } from '../reconcile/managed.ts';
import { type AppliedLookup, type PlanKind, type PlanOperation, type PlanSummary } from '../reconcile/plan.ts';
import type { ShopifyClient } from '../shopify/client.ts';
import type { Store } from '../store/open-store.ts';
import { applyKlaviyo, inKlaviyoSendOrder, type KlaviyoApplyResult } from './apply-klaviyo.ts';
import { applyShopify, type ShopifyApplyResult } from './apply-shopify.ts';
import { openApplyJournal } from './journaled-apply.ts';
import type { KlaviyoObservation } from './observe-klaviyo.ts';
import type { ProfileObservation } from './observe-profiles.ts';
import type { PlannedChunk } from './plan-changes.ts';
import { profilesToCreate } from './profile-identity.ts';
import type { PhaseProgress, Progress } from './progress.ts';

export interface AppliedChanges {
  readonly shopify: ShopifyApplyResult;
  readonly klaviyo: KlaviyoApplyResult | null;
  readonly confirmed: number;
  readonly failed: number;
  readonly confirmedByKind: Record<PlanKind, number>;
  /** Managed Klaviyo lists this apply created (they did not exist yet). */
  readonly listsCreated: string[];
}

/**
 * The apply stage, after the guard let the plan through: each planned chunk is journaled,
 * then written to Shopify (tags, metafields) and Klaviyo (profiles, list members). A managed
 * list that does not exist yet is created here, when a chunk first adds someone to it, so a
 * dry run or a guarded sync never creates anything.
 *
 * @example
 * const written = await applyChanges({ store, runId, shopify, klaviyo, observed, profiles, applied, config, progress }, pass.chunks(), summary);
 */
export async function applyChanges(
  deps: {
    store: Store;
    runId: number;
    shopify: ShopifyClient;
    klaviyo: KlaviyoClient | null;
    observed: KlaviyoObservation | null;
    /** This run's full read of the profiles, when it made one (it says which exist). */
    profiles: ProfileObservation | null;
    applied: AppliedLookup;
    config: Config;
    progress: Progress;
    signal?: AbortSignal | undefined;
  },
  chunks: Iterable<PlannedChunk>,
  planned: PlanSummary,
): Promise<AppliedChanges> {
  const { store, klaviyo, observed, config } = deps;
  const journal = openApplyJournal(store, deps.runId);
  const progress = phasesAcrossChunks(deps.progress, planned);
  const shopify: ShopifyApplyResult = { notFound: [], atTagLimit: [], rejected: [] };
  const klaviyoResult = klaviyo && observed ? { importErrors: [] as KlaviyoApplyResult['importErrors'], jobs: 0 } : null;
  const listIds = new Map(observed?.listIds ?? []);
  const configuredLists = new Set(managedListNames(config));
  const listsCreated: string[] = [];

  for (const chunk of chunks) {
    if (!chunk.operations.length) continue;
    deps.signal?.throwIfAborted();
    journal.record(inSendOrder(chunk.operations));
    try {
      const shopifyResult = await applyShopify(
        { shopify: deps.shopify, journal, progress, metafieldNamespace: config.shopify.metafield_namespace, signal: deps.signal },
        chunk.operations,
      );
      shopify.notFound.push(...shopifyResult.notFound);
      shopify.atTagLimit.push(...shopifyResult.atTagLimit);
      shopify.rejected.push(...shopifyResult.rejected);
      if (klaviyo && observed && klaviyoResult) {
        for (const name of listsAddedTo(chunk.operations)) {
          if (listIds.get(name) || !configuredLists.has(name)) continue;
          const list = await klaviyo.findOrCreateList(name);
          if (list.created) listsCreated.push(name);
          listIds.set(name, list.id);
        }
        const creates = config.klaviyo.update_existing_only
          ? new Set<string>()
          : await profilesToCreate({ klaviyo, operations: chunk.operations, applied: deps.applied, lists: observed, profiles: deps.profiles, progress });
        const result = await applyKlaviyo({ klaviyo, journal, progress, observed, listIds, creates, signal: deps.signal }, chunk.operations);
        klaviyoResult.importErrors.push(...result.importErrors);
        klaviyoResult.jobs += result.jobs;
      }
    } finally {
      // What landed before a failure or an abort is recorded too.
      journal.flush();
    }
  }
  progress.finish(klaviyoResult ? `${klaviyoResult.jobs} Klaviyo import jobs` : undefined);
  return { shopify, klaviyo: klaviyoResult, ...journal.counts(), listsCreated };
}

const KLAVIYO_KINDS: ReadonlySet<PlanKind> = new Set(['profiles_upsert', 'profiles_unset', 'list_add', 'list_remove']);

/** The chunk's operations as they will be sent: Shopify's by kind (the plan's order), then Klaviyo's (see inKlaviyoSendOrder). */
function inSendOrder(operations: readonly PlanOperation[]): PlanOperation[] {
  const ordered = operations.filter((op) => !KLAVIYO_KINDS.has(op.kind));
  for (const op of inKlaviyoSendOrder(operations)) ordered.push(op);
  return ordered;
}

function listsAddedTo(operations: readonly PlanOperation[]): Set<string> {
  const names = new Set<string>();
  for (const op of operations) if (op.kind === 'list_add') names.add(op.payload.list);
  return names;
}

/**
 * The apply's phases span every chunk: one bar or log series per phase for the whole run,
 * sized from the plan's counts, ended once the last chunk is applied.
 */
function phasesAcrossChunks(progress: Progress, planned: PlanSummary): Progress & { finish(note?: string): void } {
  const phases = new Map<string, PhaseProgress>();
  const totals: Record<string, number> = {
    'Shopify tags remove': planned.counts.tags_remove,
    'Shopify tags add': planned.counts.tags_add,
    'Shopify metafields': planned.counts.metafields_set,
    'Klaviyo list removals': planned.counts.list_remove,
    // Profiles written (an upsert, list additions, or both): at least the upserts.
    'Klaviyo profiles + list adds': planned.counts.profiles_upsert,
  };
  return {
    phase(name, total) {
      let phase = phases.get(name);
      if (!phase) {
        phase = progress.phase(name, totals[name] ?? total);
        phases.set(name, phase);
      }
      const shared = phase;
      return { setTotal() {}, tick: (count) => shared.tick(count), done() {} };
    },
    log: (message) => progress.log(message),
    stop: () => progress.stop(),
    finish(note) {
      for (const [name, phase] of phases) phase.done(name.startsWith('Klaviyo profiles') ? note : undefined);
    },
  };
}
