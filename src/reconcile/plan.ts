import type { Config } from '../config/schema.ts';
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
  readonly customers: ReadonlyMap<string, { readonly tags: readonly string[]; readonly metafields?: Readonly<Record<string, string>> }>;
  /**
   * Members of each managed Klaviyo list by list name, as lower-cased emails; null when
   * Klaviyo is not configured, which leaves Klaviyo (profiles and lists) out of the plan.
   */
  readonly listMembers: ReadonlyMap<string, ReadonlySet<string>> | null;
  /**
   * When tiersync's profile properties were read in full this run: the (lower-cased) emails
   * whose live `tiersync_*` properties equal what tiersync last applied. Any other profile lost
   * or changed them (drift) and gets all of its properties again. Absent or null: the
   * properties were not read this run and the last-applied state is trusted.
   */
  readonly profilesMatchingApplied?: ReadonlySet<string> | null;
}

/**
 * Where the plan reads what tiersync last applied: a Map in tests, the store itself in a sync
 * (a lookup per customer instead of every state in memory).
 */
export interface AppliedLookup {
  get(customerId: string): LastApplied | undefined;
  /** How many customers have an applied state (0: nothing was ever applied). */
  readonly size: number;
}

/** What tiersync last applied to a customer (store). */
export interface LastApplied {
  readonly tags: readonly string[];
  readonly metafields?: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, PropertyValue>>;
  readonly lists: readonly string[];
}

/**
 * A customer tiersync applied something to who is no longer segmented (deleted, or every
 * order cancelled): what it applied is taken off, so nothing stale stays behind.
 */
export interface LeavingCustomer {
  readonly customerId: string;
  /** Lower-cased email of their Klaviyo profile as last known; null: none known. */
  readonly email: string | null;
  readonly last: LastApplied;
}

export interface Plan {
  readonly operations: PlanOperation[];
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

/**
 * Desired − observed as operations (docs/DESIGN.md "Reconcile, plan, apply"). Pure and
 * deterministic: operations come sorted by kind, then target. A managed tag or list member
 * that differs from what tiersync last applied is drift: the plan puts it back and counts it.
 *
 * @example
 * const plan = buildPlan({ desired, observed, applied, config, now: new Date() });
 * plan.counts.tags_add // customers getting at least one tag
 */
export function buildPlan(input: PlanInput): Plan {
  const { desired, observed, applied, config } = input;
  const operations: PlanOperation[] = [];
  const changed = new Set<string>();
  const notices = { atTagLimit: [] as string[], unknownCustomers: 0, sharedEmails: 0, withoutEmail: 0 };
  const drift = { tags: 0, lists: 0, metafields: 0, profiles: 0 };
  let tagsAdded = 0;
  let tagsRemoved = 0;
  const emit = (operation: PlanOperation, customerId: string | null) => {
    operations.push(operation);
    if (customerId) changed.add(customerId);
  };

  // Shopify tags and metafields, per customer known to Shopify.
  const managed = managedTags(config);
  const desiredById = new Map(desired.map((d) => [d.customerId, d]));
  const leavingById = new Map((input.leaving ?? []).filter((c) => !desiredById.has(c.customerId)).map((c) => [c.customerId, c]));
  for (const d of desired) if (!observed.customers.has(d.customerId)) notices.unknownCustomers++;
  for (const [customerId, customer] of observed.customers) {
    const want = desiredById.get(customerId);
    const tier = want?.tier ?? 'none';
    const last = applied.get(customerId);
    const lastTags = new Set((last?.tags ?? []).map((t) => t.toLowerCase()));
    // Ours: the configured tags, and any tag tiersync applied before, so that a tag renamed in
    // the config is taken off instead of left behind.
    const have = new Map<string, string>();
    for (const tag of customer.tags) {
      const lower = tag.toLowerCase();
      if (managed.has(lower) || lastTags.has(lower)) have.set(lower, tag);
    }
    const wantTags = new Set((want?.tags ?? []).map((t) => t.toLowerCase()));
    const remove = [...have.keys()].filter((t) => !wantTags.has(t)).map((t) => have.get(t)!).sort();
    let add = (want?.tags ?? []).filter((t) => !have.has(t.toLowerCase()));
    const room = SHOPIFY_MAX_TAGS - (customer.tags.length - remove.length);
    if (add.length > room) {
      notices.atTagLimit.push(customerId);
      add = add.slice(0, Math.max(0, room));
    }
    if (remove.length) {
      const driftTags = remove.filter((t) => !lastTags.has(t.toLowerCase()) && last !== undefined);
      drift.tags += driftTags.length;
      tagsRemoved += remove.length;
      emit({ kind: 'tags_remove', target: customerId, tier, payload: { tags: remove, drift: driftTags } }, customerId);
    }
    if (add.length) {
      const driftTags = add.filter((t) => lastTags.has(t.toLowerCase()));
      drift.tags += driftTags.length;
      tagsAdded += add.length;
      emit({ kind: 'tags_add', target: customerId, tier, payload: { tags: add, drift: driftTags } }, customerId);
    }
    if (want) {
      // Live values when read, else what tiersync last set.
      const live = customer.metafields ?? last?.metafields ?? {};
      const metafields = Object.entries(want.metafields)
        .filter(([key, field]) => live[key] !== field.value)
        .map(([key, field]) => ({ key, ...field }));
      drift.metafields += metafields.filter((field) => last?.metafields?.[field.key] === field.value).length;
      if (metafields.length) emit({ kind: 'metafields_set', target: customerId, tier, payload: { metafields } }, customerId);
    } else if (leavingById.has(customerId)) {
      // Left the population: tiersync's metafields go, those it set or that are live.
      const keys = [...new Set([...Object.keys(last?.metafields ?? {}), ...Object.keys(customer.metafields ?? {})])].sort();
      if (keys.length) emit({ kind: 'metafields_delete', target: customerId, tier, payload: { keys } }, customerId);
    }
  }

  // Klaviyo: one profile per email, the best-ranked customer's state.
  const profiles = observed.listMembers ? profilesByEmail(desired, config, notices) : new Map<string, DesiredCustomer>();
  const prefix = config.klaviyo.property_prefix;
  const matching = input.observed.profilesMatchingApplied ?? null;
  for (const [email, d] of profiles) {
    const lastApplied = applied.get(d.customerId)?.properties ?? {};
    const lost = matching !== null && !matching.has(email) && Object.keys(lastApplied).length > 0;
    if (lost) drift.profiles++;
    const last = lost ? {} : lastApplied;
    const changedProps = Object.fromEntries(Object.entries(d.properties).filter(([key, value]) => last[key] !== value));
    if (Object.keys(changedProps).length) {
      changedProps[`${prefix}updated_at`] = input.now.toISOString();
      emit({ kind: 'profiles_upsert', target: email, tier: d.tier, payload: { customerId: d.customerId, email, properties: changedProps } }, d.customerId);
    }
  }
  // A leaving customer's profile loses tiersync's properties, unless another customer with the
  // same email is segmented (its upsert above owns the profile now).
  const leavingByEmail = new Map<string, LeavingCustomer>();
  if (observed.listMembers) {
    for (const c of leavingById.values()) {
      if (!c.email || profiles.has(c.email)) continue;
      leavingByEmail.set(c.email, c);
      const keys = Object.keys(c.last.properties).sort();
      if (keys.length) emit({ kind: 'profiles_unset', target: c.email, tier: 'none', payload: { customerId: c.customerId, email: c.email, keys } }, c.customerId);
    }
  }
  if (observed.listMembers) {
    const retired = new Set(input.retiredLists ?? []);
    for (const list of [...managedListNames(config), ...[...retired].sort()]) {
      const members = observed.listMembers.get(list) ?? new Set<string>();
      for (const [email, d] of profiles) {
        if (!d.lists.includes(list) || members.has(email)) continue;
        const wasApplied = applied.get(d.customerId)?.lists.includes(list) ?? false;
        if (wasApplied) drift.lists++;
        emit({ kind: 'list_add', target: email, tier: d.tier, payload: { list, customerId: d.customerId, drift: wasApplied } }, d.customerId);
      }
      for (const email of [...members].sort()) {
        const d = profiles.get(email);
        if (d?.lists.includes(list)) continue;
        const gone = d ? undefined : leavingByEmail.get(email);
        const customerId = d?.customerId ?? gone?.customerId ?? null;
        const wasApplied = d ? (applied.get(d.customerId)?.lists.includes(list) ?? false) : (gone?.last.lists.includes(list) ?? false);
        if (retired.has(list) && !wasApplied) continue;
        if (!wasApplied) drift.lists++;
        emit({ kind: 'list_remove', target: email, tier: d?.tier ?? 'none', payload: { list, customerId, drift: !wasApplied } }, customerId ?? `email:${email}`);
      }
    }
  }

  operations.sort((a, b) => PLAN_KINDS.indexOf(a.kind) - PLAN_KINDS.indexOf(b.kind) || compare(a.target, b.target) || compare(listOf(a), listOf(b)));
  const counts = Object.fromEntries(PLAN_KINDS.map((k) => [k, 0])) as Record<PlanKind, number>;
  const bySegment: Record<string, Partial<Record<PlanKind, number>>> = {};
  for (const op of operations) {
    counts[op.kind]++;
    const segment = (bySegment[op.tier] ??= {});
    segment[op.kind] = (segment[op.kind] ?? 0) + 1;
  }
  const anythingManaged =
    applied.size > 0 ||
    [...observed.customers.values()].some((c) => c.tags.some((t) => managed.has(t.toLowerCase()))) ||
    [...(observed.listMembers?.values() ?? [])].some((members) => members.size > 0);
  const allCustomers = new Set([...observed.customers.keys(), ...desiredById.keys(), ...leavingById.keys()]);
  return {
    operations,
    counts,
    bySegment,
    tagsAdded,
    tagsRemoved,
    drift,
    changedCustomers: changed.size,
    totalCustomers: allCustomers.size,
    firstSync: !anythingManaged,
    notices,
  };
}

/** Guard (docs/DESIGN.md): does the plan change more than the configured share of customers? */
export function exceedsGuard(plan: Plan, config: Config): boolean {
  if (plan.firstSync || plan.totalCustomers === 0) return false;
  return plan.changedCustomers / plan.totalCustomers > config.guard.max_changed_share;
}

/**
 * Several Shopify customers can share an email, but Klaviyo has one profile per email: the
 * customer whose tier ranks highest wins (then the smaller id), so the result is stable.
 */
function profilesByEmail(desired: readonly DesiredCustomer[], config: Config, notices: { sharedEmails: number; withoutEmail: number }) {
  const rank = new Map<string, number>(config.tiers.map((t, i) => [t.id, i]));
  const score = (d: DesiredCustomer) => rank.get(d.tier) ?? config.tiers.length;
  const profiles = new Map<string, DesiredCustomer>();
  const shared = new Set<string>();
  for (const d of desired) {
    if (!d.email) {
      notices.withoutEmail++;
      continue;
    }
    const current = profiles.get(d.email);
    if (current) shared.add(d.email);
    if (!current || score(d) < score(current) || (score(d) === score(current) && compare(d.customerId, current.customerId) < 0)) {
      profiles.set(d.email, d);
    }
  }
  notices.sharedEmails = shared.size;
  return new Map([...profiles].sort(([a], [b]) => compare(a, b)));
}

function listOf(op: PlanOperation): string {
  return op.kind === 'list_add' || op.kind === 'list_remove' ? op.payload.list : '';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
