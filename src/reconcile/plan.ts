import type { Config } from '../config/schema.ts';
import type { AppliedState } from '../core/applied-state.ts';
import type { DesiredCustomer, MetafieldValue, PropertyValue } from './desired.ts';
import { managedListNames, managedTags } from './managed.ts';

/** Shopify allows 250 tags a customer. https://help.shopify.com/en/manual/shopify-admin/productivity-tools/using-tags */
export const SHOPIFY_MAX_TAGS = 250;

export const PLAN_KINDS = ['tags_add', 'tags_remove', 'metafields_set', 'metafields_delete', 'profiles_upsert', 'profiles_unset', 'list_add', 'list_remove'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export type PlanOperation =
  | { kind: 'tags_add' | 'tags_remove'; target: string; tier: string; payload: { tags: string[]; drift: string[] } }
  | { kind: 'metafields_set'; target: string; tier: string; payload: { metafields: ({ key: string } & MetafieldValue)[] } }
  | { kind: 'metafields_delete'; target: string; tier: string; payload: { keys: string[] } }
  | { kind: 'profiles_upsert'; target: string; tier: string; payload: { customerId: string; email: string; properties: Record<string, PropertyValue> } }
  | { kind: 'profiles_unset'; target: string; tier: string; payload: { customerId: string; email: string; keys: string[] } }
  | { kind: 'list_add' | 'list_remove'; target: string; tier: string; payload: { list: string; customerId: string | null; drift: boolean } };

/** What Shopify and Klaviyo hold now. */
export interface ObservedState {
  /**
   * Every Shopify customer as read, with all of its tags and tiersync's metafields as they are
   * live (key → value). Without `metafields` the last-applied values stand in for them.
   */
  readonly customers: ReadonlyMap<string, { readonly tags: readonly string[]; readonly metafields?: Readonly<Record<string, string>> | undefined }>;
  /**
   * Members of each managed Klaviyo list by list name, as lower-cased emails; null when
   * Klaviyo is not configured, which leaves Klaviyo (profiles and lists) out of the plan.
   */
  readonly listMembers: ListMembers | null;
  /**
   * When tiersync's profile properties were read in full this run: the (lower-cased) emails
   * whose live `tiersync_*` properties equal what tiersync last applied. Any other profile lost
   * or changed them (drift) and gets all of its properties again. Absent or null: the
   * properties were not read this run and the last-applied state is trusted.
   */
  readonly profilesMatchingApplied?: ReadonlySet<string> | null;
}

/** Members of each managed Klaviyo list by list name, as lower-cased emails. */
export type ListMembers = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Where the plan reads what tiersync last applied: a Map in tests, the store itself in a sync
 * (a lookup per customer instead of every state in memory).
 */
export interface AppliedLookup {
  get(customerId: string): AppliedState | undefined;
  /** How many customers have an applied state (0: nothing was ever applied). */
  readonly size: number;
}

/**
 * A customer tiersync applied something to who is no longer segmented (deleted, or every
 * order cancelled): what it applied is taken off, so nothing stale stays behind.
 */
export interface LeavingCustomer {
  readonly customerId: string;
  /** Lower-cased email of their Klaviyo profile as last known; null: none known. */
  readonly email: string | null;
  readonly last: AppliedState;
}

/** What a plan amounts to, without its operations (which a sync streams chunk by chunk). */
export interface PlanSummary {
  /** Operations by kind (tags: one a customer; properties: one a profile; lists: one a membership). */
  readonly counts: Record<PlanKind, number>;
  /** Operations by kind within each target tier (`none` for customers no longer segmented). */
  readonly bySegment: Record<string, Partial<Record<PlanKind, number>>>;
  readonly tagsAdded: number;
  readonly tagsRemoved: number;
  /**
   * Changes made outside tiersync, which the plan puts back: managed tags and list members
   * (each), metafields (each key) and profiles whose tiersync properties were lost or changed.
   */
  readonly drift: { readonly tags: number; readonly lists: number; readonly metafields: number; readonly profiles: number };
  readonly changedCustomers: number;
  readonly totalCustomers: number;
  /** Nothing managed exists yet (no applied state, no managed tags or members): exempt from the guard. */
  readonly firstSync: boolean;
  /** The first operations of each kind, for the printed summary. */
  readonly samples: PlanOperation[];
  /** Lists the plan takes members out of, sorted. */
  readonly listsWithRemovals: string[];
  readonly notices: {
    /** Customers whose adds were cut to stay within 250 tags. */
    readonly atTagLimit: string[];
    /** Segmented customers Shopify did not list (deleted, or not read): no tag writes planned. */
    readonly unknownCustomers: number;
    /** Emails shared by several customers: one profile, the best-ranked customer's state. */
    readonly sharedEmails: number;
    readonly withoutEmail: number;
  };
}

/** A whole plan in memory: what `buildPlan` returns for a small input (tests, one chunk). */
export interface Plan extends PlanSummary {
  readonly operations: PlanOperation[];
}

export interface PlanInput {
  readonly desired: readonly DesiredCustomer[];
  readonly observed: ObservedState;
  readonly applied: AppliedLookup;
  readonly config: Config;
  /** When this run happens: `<prefix>updated_at` of the profiles it changes. */
  readonly now: Date;
  /**
   * Lists tiersync managed before under names the config no longer has (renamed or removed):
   * members tiersync added there are taken out; nobody else is touched.
   */
  readonly retiredLists?: readonly string[];
  /** Customers with an applied state who are not in `desired` (see LeavingCustomer). */
  readonly leaving?: readonly LeavingCustomer[];
}

/** The customer a Klaviyo profile (one per email) takes its state from, by email; and the notices that choice gives. */
export interface ProfileOwners {
  readonly owners: ReadonlyMap<string, string>;
  readonly sharedEmails: number;
  readonly withoutEmail: number;
}

/** One customer of a chunk: what tiersync wants (absent: no longer segmented) and the tags Shopify shows (absent: not in Shopify). */
export interface ChunkCustomer {
  readonly customerId: string;
  readonly desired?: DesiredCustomer | undefined;
  readonly observedTags?: readonly string[] | undefined;
  /** tiersync's metafields as read; absent: not read, the last-applied values stand in. */
  readonly observedMetafields?: Readonly<Record<string, string>> | undefined;
}

/** Samples of each kind kept for the summary. */
const SAMPLES_PER_KIND = 3;

/**
 * Desired − observed as operations (docs/DESIGN.md "Reconcile, plan, apply") for an input that fits
 * in memory: one chunk of {@link createPlanner}. Pure and deterministic: operations come sorted
 * by kind, then target. A managed tag or list member that differs from what tiersync last
 * applied is drift: the plan puts it back and counts it.
 *
 * @example
 * const plan = buildPlan({ desired, observed, applied, config, now: new Date() });
 * plan.counts.tags_add // customers getting at least one tag
 */
export function buildPlan(input: PlanInput): Plan {
  const { desired, observed } = input;
  const owners = observed.listMembers ? profileOwners(desired, input.config) : null;
  const planner = createPlanner({
    config: input.config, now: input.now, retiredLists: input.retiredLists ?? [], listMembers: observed.listMembers, owners, applied: input.applied,
    profilesMatchingApplied: observed.profilesMatchingApplied ?? null, leaving: input.leaving ?? [],
  });
  const desiredById = new Map(desired.map((d) => [d.customerId, d]));
  const ids = [...new Set([...observed.customers.keys(), ...desiredById.keys()])].sort(compare);
  const operations = planner.planChunk(
    ids.map((customerId) => ({
      customerId, desired: desiredById.get(customerId), observedTags: observed.customers.get(customerId)?.tags, observedMetafields: observed.customers.get(customerId)?.metafields,
    })),
    { last: true },
  );
  return { ...planner.summary(), operations };
}

/**
 * The plan of a shop too large to hold, chunk by chunk. Give it each customer once, in chunks
 * (`last` on the final one: it also takes the members of managed lists whom no customer owns
 * out); the operations of a chunk come sorted by kind, then target, and the summary adds up
 * every chunk planned so far. Chunks see nothing of each other except through `owners`, which
 * says (for the whole shop) which customer each Klaviyo profile follows.
 *
 * @example
 * const planner = createPlanner({ config, now, retiredLists: [], listMembers, owners, applied });
 * for (const chunk of chunks) send(planner.planChunk(chunk, { last: chunk === chunks.at(-1) }));
 * planner.summary().changedCustomers;
 */
export function createPlanner(context: {
  readonly config: Config;
  readonly now: Date;
  readonly retiredLists: readonly string[];
  /** Null: Klaviyo is left out of the plan. */
  readonly listMembers: ListMembers | null;
  /** Required with `listMembers`. */
  readonly owners: ProfileOwners | null;
  readonly applied: AppliedLookup;
  /** See {@link ObservedState.profilesMatchingApplied}. */
  readonly profilesMatchingApplied?: ReadonlySet<string> | null;
  /** Every customer of the shop who left the segmented population (few: kept whole). */
  readonly leaving?: readonly LeavingCustomer[];
}) {
  const { config, applied, listMembers } = context;
  const managed = managedTags(config);
  const prefix = config.klaviyo.property_prefix;
  // One string shared by every profile write of the run.
  const updatedAt = context.now.toISOString();
  const retired = new Set(context.retiredLists);
  const lists = [...managedListNames(config), ...[...retired].sort()];
  const owners = context.owners?.owners ?? new Map<string, string>();
  const counts = Object.fromEntries(PLAN_KINDS.map((k) => [k, 0])) as Record<PlanKind, number>;
  const bySegment: Record<string, Partial<Record<PlanKind, number>>> = {};
  const notices = { atTagLimit: [] as string[], unknownCustomers: 0, sharedEmails: context.owners?.sharedEmails ?? 0, withoutEmail: context.owners?.withoutEmail ?? 0 };
  const drift = { tags: 0, lists: 0, metafields: 0, profiles: 0 };
  const matching = context.profilesMatchingApplied ?? null;
  const leaving = new Map((context.leaving ?? []).map((c) => [c.customerId, c]));
  const leavingSeen = new Set<string>();
  const leavingChanged = new Set<string>();
  const samples: PlanOperation[] = [];
  const listsWithRemovals = new Set<string>();
  let tagsAdded = 0;
  let tagsRemoved = 0;
  let changedCustomers = 0;
  let totalCustomers = 0;
  let anythingManaged = applied.size > 0 || [...(listMembers?.values() ?? [])].some((members) => members.size > 0);

  function planCustomer(customer: ChunkCustomer, emit: (operation: PlanOperation) => void): void {
    const want = customer.desired;
    const { customerId } = customer;
    const tier = want?.tier ?? 'none';
    const last = applied.get(customerId);
    if (want && !customer.observedTags) notices.unknownCustomers++;
    if (customer.observedTags) {
      const observedTags = customer.observedTags;
      const lastTags = new Set((last?.tags ?? []).map((t) => t.toLowerCase()));
      // Ours: the configured tags, and any tag tiersync applied before, so that a tag renamed in
      // the config is taken off instead of left behind.
      const have = new Map<string, string>();
      for (const tag of observedTags) {
        const lower = tag.toLowerCase();
        if (managed.has(lower)) anythingManaged = true;
        if (managed.has(lower) || lastTags.has(lower)) have.set(lower, tag);
      }
      const wantTags = new Set((want?.tags ?? []).map((t) => t.toLowerCase()));
      const remove = [...have.keys()].filter((t) => !wantTags.has(t)).map((t) => have.get(t)!).sort();
      let add = (want?.tags ?? []).filter((t) => !have.has(t.toLowerCase()));
      const room = SHOPIFY_MAX_TAGS - (observedTags.length - remove.length);
      if (add.length > room) {
        notices.atTagLimit.push(customerId);
        add = add.slice(0, Math.max(0, room));
      }
      if (remove.length) {
        const driftTags = remove.filter((t) => !lastTags.has(t.toLowerCase()) && last !== undefined);
        drift.tags += driftTags.length;
        tagsRemoved += remove.length;
        emit({ kind: 'tags_remove', target: customerId, tier, payload: { tags: remove, drift: driftTags } });
      }
      if (add.length) {
        const driftTags = add.filter((t) => lastTags.has(t.toLowerCase()));
        drift.tags += driftTags.length;
        tagsAdded += add.length;
        emit({ kind: 'tags_add', target: customerId, tier, payload: { tags: add, drift: driftTags } });
      }
      if (want) {
        // Live values when read, else what tiersync last set.
        const live = customer.observedMetafields ?? last?.metafields ?? {};
        const metafields = Object.entries(want.metafields)
          .filter(([key, field]) => live[key] !== field.value)
          // A literal, not a spread: its fields sit in the object (a spread put them in a second one).
          .map(([key, field]) => ({ key, type: field.type, value: field.value }));
        drift.metafields += metafields.filter((field) => last?.metafields?.[field.key] === field.value).length;
        if (metafields.length) emit({ kind: 'metafields_set', target: customerId, tier, payload: { metafields } });
      } else if (leaving.has(customerId)) {
        // Left the population: tiersync's metafields go, those it set or that are live.
        const keys = [...new Set([...Object.keys(last?.metafields ?? {}), ...Object.keys(customer.observedMetafields ?? {})])].sort();
        if (keys.length) emit({ kind: 'metafields_delete', target: customerId, tier, payload: { keys } });
      }
    }

    // Klaviyo: one profile per email, the owning customer's state.
    if (!listMembers || !want?.email || owners.get(want.email) !== customerId) return;
    const email = want.email;
    const lastApplied = last?.properties ?? {};
    const lost = matching !== null && !matching.has(email) && Object.keys(lastApplied).length > 0;
    if (lost) drift.profiles++;
    const lastProperties = lost ? {} : lastApplied;
    const changedProps = Object.fromEntries(Object.entries(want.properties).filter(([key, value]) => lastProperties[key] !== value));
    if (Object.keys(changedProps).length) {
      changedProps[`${prefix}updated_at`] = updatedAt;
      emit({ kind: 'profiles_upsert', target: email, tier, payload: { customerId, email, properties: changedProps } });
    }
    for (const list of lists) {
      const member = listMembers.get(list)?.has(email) ?? false;
      const wanted = want.lists.includes(list);
      const wasApplied = last?.lists.includes(list) ?? false;
      if (wanted && !member) {
        if (wasApplied) drift.lists++;
        emit({ kind: 'list_add', target: email, tier, payload: { list, customerId, drift: wasApplied } });
      } else if (!wanted && member) {
        if (retired.has(list) && !wasApplied) continue;
        if (!wasApplied) drift.lists++;
        emit({ kind: 'list_remove', target: email, tier, payload: { list, customerId, drift: !wasApplied } });
      }
    }
  }

  /**
   * Profiles no segmented customer owns: a leaving customer's loses tiersync's properties (a
   * segmented customer with the same email owns it otherwise); members of managed lists whom no
   * customer owns (a person added them, or their customer left) go out, except on retired lists
   * where tiersync did not put them.
   */
  function planUnowned(emit: (operation: PlanOperation, changedKey: string) => void): void {
    if (!listMembers) return;
    const leavingByEmail = new Map<string, LeavingCustomer>();
    for (const c of leaving.values()) {
      if (!c.email || owners.has(c.email)) continue;
      leavingByEmail.set(c.email, c);
      const keys = Object.keys(c.last.properties).sort();
      if (keys.length) emit({ kind: 'profiles_unset', target: c.email, tier: 'none', payload: { customerId: c.customerId, email: c.email, keys } }, c.customerId);
    }
    for (const list of lists) {
      for (const email of listMembers.get(list) ?? []) {
        if (owners.has(email)) continue;
        const gone = leavingByEmail.get(email);
        const wasApplied = gone?.last.lists.includes(list) ?? false;
        if (retired.has(list) && !wasApplied) continue;
        if (!wasApplied) drift.lists++;
        const customerId = gone?.customerId ?? null;
        emit({ kind: 'list_remove', target: email, tier: 'none', payload: { list, customerId, drift: !wasApplied } }, customerId ?? `email:${email}`);
      }
    }
  }

  return {
    planChunk(customers: readonly ChunkCustomer[], options: { readonly last: boolean }): PlanOperation[] {
      const operations: PlanOperation[] = [];
      const changed = new Set<string>();
      for (const customer of customers) {
        totalCustomers++;
        if (leaving.has(customer.customerId)) leavingSeen.add(customer.customerId);
        planCustomer(customer, (operation) => {
          operations.push(operation);
          changed.add(customer.customerId);
          if (leaving.has(customer.customerId)) leavingChanged.add(customer.customerId);
        });
      }
      if (options.last) {
        // Leaving customers Shopify no longer lists were in no chunk.
        totalCustomers += leaving.size - leavingSeen.size;
        planUnowned((operation, key) => {
          operations.push(operation);
          // A leaving customer counted in an earlier chunk (its metafields) is not counted twice.
          if (!leavingChanged.has(key) || changed.has(key)) changed.add(key);
        });
      }
      changedCustomers += changed.size;
      operations.sort((a, b) => PLAN_KINDS.indexOf(a.kind) - PLAN_KINDS.indexOf(b.kind) || compare(a.target, b.target) || compare(listOf(a), listOf(b)));
      for (const op of operations) {
        if (counts[op.kind] < SAMPLES_PER_KIND) samples.push(op);
        counts[op.kind]++;
        const segment = (bySegment[op.tier] ??= {});
        segment[op.kind] = (segment[op.kind] ?? 0) + 1;
        if (op.kind === 'list_remove') listsWithRemovals.add(op.payload.list);
      }
      return operations;
    },
    summary(): PlanSummary {
      return {
        counts: { ...counts },
        bySegment: structuredClone(bySegment),
        tagsAdded,
        tagsRemoved,
        drift: { ...drift },
        changedCustomers,
        totalCustomers,
        firstSync: !anythingManaged,
        samples: [...samples].sort((a, b) => PLAN_KINDS.indexOf(a.kind) - PLAN_KINDS.indexOf(b.kind)),
        listsWithRemovals: [...listsWithRemovals].sort(),
        notices: { ...notices, atTagLimit: [...notices.atTagLimit] },
      };
    },
  };
}

/**
 * Several Shopify customers can share an email, but Klaviyo has one profile per email: the
 * customer whose tier ranks highest wins (then the smaller id), so the result is stable.
 *
 * @example
 * profileOwners([{ customerId: 'b', email: 'x@y.com', tier: 'vip' }, { customerId: 'a', email: 'x@y.com', tier: 'vip' }], config).owners.get('x@y.com'); // 'a'
 */
export function profileOwners(
  customers: Iterable<{ readonly customerId: string; readonly email: string | null; readonly tier: string }>,
  config: Config,
): ProfileOwners {
  const rank = new Map<string, number>(config.tiers.map((t, i) => [t.id, i]));
  const score = (tier: string) => rank.get(tier) ?? config.tiers.length;
  const owners = new Map<string, { customerId: string; score: number }>();
  let sharedEmails = 0;
  let withoutEmail = 0;
  const shared = new Set<string>();
  for (const c of customers) {
    if (!c.email) {
      withoutEmail++;
      continue;
    }
    const current = owners.get(c.email);
    const s = score(c.tier);
    if (current && !shared.has(c.email)) {
      shared.add(c.email);
      sharedEmails++;
    }
    if (!current || s < current.score || (s === current.score && compare(c.customerId, current.customerId) < 0)) {
      owners.set(c.email, { customerId: c.customerId, score: s });
    }
  }
  const byEmail = new Map<string, string>();
  for (const [email, owner] of owners) byEmail.set(email, owner.customerId);
  return { owners: byEmail, sharedEmails, withoutEmail };
}

function listOf(op: PlanOperation): string {
  return op.kind === 'list_add' || op.kind === 'list_remove' ? op.payload.list : '';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
