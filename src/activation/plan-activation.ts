import type { Config } from '../config/schema.ts';
import type { ActivationSegment, KlaviyoSegmentDefinition, MetafieldDefinitionSpec } from './segment-definitions.ts';
import { activationSegments, metafieldDefinitionSpecs } from './segment-definitions.ts';

/**
 * The activation part of the plan (docs/DESIGN.md "Activation"): native segments and metafield
 * definitions, desired − observed. Pure and deterministic. Segments are tiersync's when its
 * records say so (the id it created or adopted); otherwise one is found by name, and adopted
 * only if it already has tiersync's definition (a create whose answer was lost): a merchant's
 * segment of the same name is never touched, only reported. A recorded segment whose name or
 * definition the config changed is updated in place; one the config no longer has is left in
 * place and reported (a flow may use it: deleting it is the merchant's call).
 */

export const ACTIVATION_KINDS = [
  'metafield_definition_create',
  'metafield_definition_update',
  'shopify_segment_create',
  'shopify_segment_update',
  'klaviyo_segment_create',
  'klaviyo_segment_update',
] as const;
export type ActivationKind = (typeof ACTIVATION_KINDS)[number];

/** Where tiersync's record of an object lives: `shopify_segment:vip`, `klaviyo_segment:vip`, `metafield_definition:tiersync.tier`. */
export type RecordKey = string;

export interface ActivationRecord {
  readonly id: string;
  readonly name: string;
}

export type ActivationOperation =
  | { kind: 'metafield_definition_create' | 'metafield_definition_update'; target: RecordKey; payload: MetafieldDefinitionSpec }
  | { kind: 'shopify_segment_create'; target: RecordKey; payload: { name: string; query: string } }
  | { kind: 'shopify_segment_update'; target: RecordKey; payload: { id: string; previousName: string; name: string; query: string } }
  | { kind: 'klaviyo_segment_create'; target: RecordKey; payload: { name: string; definition: KlaviyoSegmentDefinition } }
  | { kind: 'klaviyo_segment_update'; target: RecordKey; payload: { id: string; previousName: string; name: string; definition: KlaviyoSegmentDefinition } };

export interface ObservedSegment<Definition> {
  readonly id: string;
  readonly name: string;
  readonly definition: Definition;
}

export interface ActivationObservation {
  /** Every Shopify segment (≤ 250 a shop); null: Shopify segments are off. */
  readonly shopifySegments: readonly ObservedSegment<string>[] | null;
  /** Customer metafield definitions of tiersync's namespace; null: off. */
  readonly metafieldDefinitions: readonly { readonly namespace: string; readonly key: string; readonly type: string; readonly name: string; readonly description: string | null }[] | null;
  /** Klaviyo segments with tiersync's names or recorded ids; null: Klaviyo or its segments are off. */
  readonly klaviyoSegments: readonly ObservedSegment<unknown>[] | null;
}

export interface ActivationPlan {
  readonly operations: ActivationOperation[];
  /** Found by name with tiersync's definition and not yet recorded: recorded on apply, nothing sent. */
  readonly adopted: { readonly key: RecordKey; readonly record: ActivationRecord }[];
  /** tiersync's objects the config no longer has: left in place. */
  readonly leftInPlace: { readonly key: RecordKey; readonly record: ActivationRecord }[];
  /** Names or keys held by someone else's object: nothing done, reported. */
  readonly conflicts: { readonly key: RecordKey; readonly message: string }[];
}

export interface ActivationPlanInput {
  readonly config: Config;
  readonly observed: ActivationObservation;
  readonly records: ReadonlyMap<RecordKey, ActivationRecord>;
  /** Compares a Klaviyo definition as Klaviyo answers it with tiersync's. */
  readonly sameKlaviyoDefinition: (observed: unknown, wanted: KlaviyoSegmentDefinition) => boolean;
}

/**
 * @example
 * const plan = planActivation({ config, observed, records, sameKlaviyoDefinition: sameDefinition });
 * plan.operations; // [{ kind: 'shopify_segment_create', target: 'shopify_segment:vip', payload: { name: 'tiersync: VIP', query: "customer_tags CONTAINS 'ltv:vip'" } }, ...]
 */
export function planActivation(input: ActivationPlanInput): ActivationPlan {
  const { config, observed, records } = input;
  const plan: { operations: ActivationOperation[]; adopted: ActivationPlan['adopted'][number][]; leftInPlace: ActivationPlan['leftInPlace'][number][]; conflicts: ActivationPlan['conflicts'][number][] } = {
    operations: [],
    adopted: [],
    leftInPlace: [],
    conflicts: [],
  };
  const wanted = new Set<RecordKey>();
  const segments = activationSegments(config);

  if (observed.metafieldDefinitions) {
    for (const spec of metafieldDefinitionSpecs(config)) {
      const key = `metafield_definition:${spec.namespace}.${spec.key}`;
      wanted.add(key);
      const existing = observed.metafieldDefinitions.find((d) => d.namespace === spec.namespace && d.key === spec.key);
      if (!existing) plan.operations.push({ kind: 'metafield_definition_create', target: key, payload: spec });
      else if (existing.type !== spec.type) plan.conflicts.push({ key, message: `metafield definition ${spec.namespace}.${spec.key} exists with type ${existing.type}, not ${spec.type}: left as it is` });
      else if (existing.name !== spec.name || (existing.description ?? '') !== spec.description) plan.operations.push({ kind: 'metafield_definition_update', target: key, payload: spec });
    }
  }

  const planSegments = <Definition, Wanted>(platform: 'shopify' | 'klaviyo', observedSegments: readonly ObservedSegment<Definition>[], want: (s: ActivationSegment) => Wanted | null, same: (o: Definition, w: Wanted) => boolean) => {
    const byId = new Map(observedSegments.map((s) => [s.id, s]));
    for (const segment of segments) {
      const definition = want(segment);
      if (definition === null) continue;
      const key = `${platform}_segment:${segment.key}`;
      wanted.add(key);
      const record = records.get(key);
      const ours = record ? byId.get(record.id) : undefined;
      const named = observedSegments.find((s) => s.name === segment.segmentName);
      if (ours) {
        if (ours.name === segment.segmentName && same(ours.definition, definition)) continue;
        if (named && named.id !== ours.id) {
          plan.conflicts.push({ key, message: `${platform} segment "${segment.segmentName}" belongs to someone else: tiersync's "${ours.name}" keeps its name` });
          continue;
        }
        plan.operations.push(updateOperation(platform, key, ours.id, ours.name, segment.segmentName, definition));
      } else if (named) {
        if (same(named.definition, definition)) plan.adopted.push({ key, record: { id: named.id, name: named.name } });
        else plan.conflicts.push({ key, message: `${platform} segment "${segment.segmentName}" exists with another definition (not tiersync's): left as it is` });
      } else {
        plan.operations.push(createOperation(platform, key, segment.segmentName, definition));
      }
    }
  };

  if (observed.shopifySegments) {
    planSegments('shopify', observed.shopifySegments, (s) => s.shopifyQuery, (query, wantedQuery) => query === wantedQuery);
    for (const segment of segments) {
      if (segment.shopifyQuery === null) plan.conflicts.push({ key: `shopify_segment:${segment.key}`, message: `tag "${segment.tag}" contains ' which a segment query cannot quote: no Shopify segment` });
    }
  }
  if (observed.klaviyoSegments) planSegments('klaviyo', observed.klaviyoSegments, (s) => s.klaviyoDefinition, input.sameKlaviyoDefinition);

  // Records of a platform not observed this run (switched off, no Klaviyo key) are kept as they are.
  const observedPlatforms = new Set([...(observed.shopifySegments ? ['shopify_segment'] : []), ...(observed.klaviyoSegments ? ['klaviyo_segment'] : [])]);
  for (const [key, record] of [...records].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!wanted.has(key) && observedPlatforms.has(key.split(':')[0] as string)) plan.leftInPlace.push({ key, record });
  }
  // By kind, then in display order (tiers top first, then overlays), as they were generated: that is the order they appear in the admin.
  plan.operations.sort((a, b) => ACTIVATION_KINDS.indexOf(a.kind) - ACTIVATION_KINDS.indexOf(b.kind));
  return plan;
}

function createOperation(platform: 'shopify' | 'klaviyo', key: RecordKey, name: string, definition: unknown): ActivationOperation {
  return platform === 'shopify'
    ? { kind: 'shopify_segment_create', target: key, payload: { name, query: definition as string } }
    : { kind: 'klaviyo_segment_create', target: key, payload: { name, definition: definition as KlaviyoSegmentDefinition } };
}

function updateOperation(platform: 'shopify' | 'klaviyo', key: RecordKey, id: string, previousName: string, name: string, definition: unknown): ActivationOperation {
  return platform === 'shopify'
    ? { kind: 'shopify_segment_update', target: key, payload: { id, previousName, name, query: definition as string } }
    : { kind: 'klaviyo_segment_update', target: key, payload: { id, previousName, name, definition: definition as KlaviyoSegmentDefinition } };
}

/** Counts by kind, every kind present. @example countActivation(plan).shopify_segment_create; // 11 */
export function countActivation(plan: ActivationPlan): Record<ActivationKind, number> {
  const counts = Object.fromEntries(ACTIVATION_KINDS.map((kind) => [kind, 0])) as Record<ActivationKind, number>;
  for (const op of plan.operations) counts[op.kind]++;
  return counts;
}
