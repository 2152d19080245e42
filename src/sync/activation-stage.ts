import { activationSegments } from '../activation/segment-definitions.ts';
import { countActivation, planActivation, type ActivationKind, type ActivationOperation, type ActivationPlan, type ActivationRecord, type RecordKey } from '../activation/plan-activation.ts';
import { readActivationRecords, writeActivationRecords } from '../activation/records.ts';
import type { Config } from '../config/schema.ts';
import { ApiError, AuthError, InternalError } from '../errors.ts';
import type { KlaviyoClient } from '../klaviyo/client.ts';
import { sameDefinition } from '../klaviyo/segments.ts';
import type { ShopifyClient } from '../shopify/client.ts';
import { customerSegments } from '../shopify/operations/customer-segments.ts';
import { metafieldDefinitions } from '../shopify/operations/metafield-definitions.ts';
import type { Store } from '../store/open-store.ts';
import type { Progress } from './progress.ts';

export interface ActivationApplyResult {
  readonly confirmedByKind: Record<ActivationKind, number>;
  readonly failed: { readonly target: string; readonly error: string }[];
}

/**
 * Observes tiersync's native segments and metafield definitions and plans them (docs/DESIGN.md
 * "Activation"): every Shopify segment (at most 250 a shop), the definitions of tiersync's
 * metafield namespace, and the Klaviyo segments with tiersync's names or recorded ids.
 *
 * @example
 * const activation = await planActivationStage({ store, config, shopify, klaviyo, progress });
 * activation.operations.length; // 0 on a second sync
 */
export async function planActivationStage(deps: {
  store: Store;
  config: Config;
  shopify: ShopifyClient;
  klaviyo: KlaviyoClient | null;
  progress: Progress;
}): Promise<ActivationPlan> {
  const { config } = deps;
  const records = readActivationRecords(deps.store);
  const phase = deps.progress.phase('read native segments', 3);
  const skipped: { key: string; message: string }[] = [];
  // A token or key without the scope for segments or definitions skips them (reported), as
  // before this feature, instead of failing the whole sync.
  const unlessForbidden = async <T>(what: string, fix: string, read: () => Promise<T>): Promise<T | null> => {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      skipped.push({ key: what, message: `${what} skipped: ${error.message} (${fix})` });
      return null;
    }
  };
  const shopifyFix = 'grant read_customers and write_customers to the app';
  const shopifySegments = config.activation.shopify_segments
    ? await unlessForbidden('Shopify segments', shopifyFix, async () => (await customerSegments(deps.shopify).list()).map((s) => ({ id: s.id, name: s.name, definition: s.query })))
    : null;
  phase.tick();
  const definitions = config.activation.metafield_definitions
    ? await unlessForbidden('metafield definitions', shopifyFix, () => metafieldDefinitions(deps.shopify).list(config.shopify.metafield_namespace))
    : null;
  phase.tick();
  const klaviyo = deps.klaviyo;
  const klaviyoSegments =
    klaviyo && config.activation.klaviyo_segments
      ? await unlessForbidden('Klaviyo segments', 'give the private key the segments read/write scopes', () =>
          klaviyo.segments.find({
            names: [...new Set(activationSegments(config).map((s) => s.segmentName))],
            ids: [...records].filter(([key]) => key.startsWith('klaviyo_segment:')).map(([, record]) => record.id),
          }),
        )
      : null;
  phase.tick();
  const planned = planActivation({ config, observed: { shopifySegments, metafieldDefinitions: definitions, klaviyoSegments }, records, sameKlaviyoDefinition: sameDefinition });
  const plan = { ...planned, conflicts: [...skipped, ...planned.conflicts] };
  const counts = countActivation(plan);
  phase.done(`${Object.entries(counts).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`).join(', ') || 'nothing to change'}`);
  return plan;
}

/**
 * Applies the activation plan under the journal: every operation is recorded before anything is
 * sent, marked sent just before its request and confirmed with tiersync's record of the object in
 * one transaction. A create whose answer is lost is not repeated: the next run finds the segment
 * by name and adopts it. A write the API refuses is marked failed and reported; the rest go on.
 * Adopted objects are recorded; records the config no longer has are forgotten (the objects stay).
 *
 * @example
 * const result = await applyActivation({ store, runId, plan, shopify, klaviyo });
 */
export async function applyActivation(deps: {
  store: Store;
  runId: number;
  plan: ActivationPlan;
  shopify: ShopifyClient;
  klaviyo: KlaviyoClient | null;
  signal?: AbortSignal;
}): Promise<ActivationApplyResult> {
  const { store, plan } = deps;
  const records = readActivationRecords(store);
  for (const { key, record } of plan.adopted) records.set(key, record);
  for (const { key } of plan.leftInPlace) records.delete(key);
  writeActivationRecords(store, records);

  const journaled = store.journal.recordPending(deps.runId, plan.operations.map((op) => ({ kind: op.kind, target: op.target, payload: op.payload })));
  const confirmedByKind = countActivation({ ...plan, operations: [] });
  const failed: { target: string; error: string }[] = [];
  for (const [index, op] of plan.operations.entries()) {
    deps.signal?.throwIfAborted();
    const id = (journaled[index] as { id: number }).id;
    store.journal.markSent([id]);
    let record: ActivationRecord | null;
    try {
      record = await send(op, deps.shopify, deps.klaviyo);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      store.journal.markFailed([id], error.message);
      failed.push({ target: op.target, error: error.message });
      continue;
    }
    store.transaction(() => {
      store.journal.markConfirmed([id]);
      if (record) records.set(op.target, record);
      writeActivationRecords(store, records);
    });
    confirmedByKind[op.kind]++;
  }
  return { confirmedByKind, failed };
}

/** Sends one operation; returns tiersync's record of the segment it made or changed (null for a definition). */
async function send(op: ActivationOperation, shopify: ShopifyClient, klaviyo: KlaviyoClient | null): Promise<ActivationRecord | null> {
  const needKlaviyo = (): KlaviyoClient => {
    if (!klaviyo) throw new InternalError(`${op.kind} planned without a Klaviyo client`);
    return klaviyo;
  };
  switch (op.kind) {
    case 'metafield_definition_create':
      await metafieldDefinitions(shopify).create(op.payload);
      return null;
    case 'metafield_definition_update':
      await metafieldDefinitions(shopify).update(op.payload);
      return null;
    case 'shopify_segment_create': {
      const segment = await customerSegments(shopify).create(op.payload.name, op.payload.query);
      return { id: segment.id, name: segment.name };
    }
    case 'shopify_segment_update': {
      const segment = await customerSegments(shopify).update(op.payload.id, { name: op.payload.name, query: op.payload.query });
      return { id: segment.id, name: segment.name };
    }
    case 'klaviyo_segment_create': {
      const segment = await needKlaviyo().segments.create(op.payload.name, op.payload.definition);
      return { id: segment.id, name: segment.name };
    }
    case 'klaviyo_segment_update': {
      const segment = await needKlaviyo().segments.update(op.payload.id, { name: op.payload.name, definition: op.payload.definition });
      return { id: segment.id, name: segment.name };
    }
  }
}

/** Record keys to a readable platform and segment, for reports. @example describeRecordKey('klaviyo_segment:vip'); // 'Klaviyo segment vip' */
export function describeRecordKey(key: RecordKey): string {
  const [platform, name] = key.split(':') as [string, string];
  const label = { shopify_segment: 'Shopify segment', klaviyo_segment: 'Klaviyo segment', metafield_definition: 'metafield definition' }[platform] ?? platform;
  return `${label} ${name}`;
}
