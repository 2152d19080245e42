import { duplicateProfile, invalid, notFound } from './errors.ts';
import type { IdSource } from './ids.ts';
import type { Sequence } from './pagination.ts';
import { applyPatchProperties, type PatchProperties } from './patch-properties.ts';

/** Profile attributes the sandbox keeps (the string attributes of Klaviyo's profile resource). */
export const PROFILE_STRING_ATTRIBUTES = [
  'email',
  'phone_number',
  'external_id',
  'first_name',
  'last_name',
  'organization',
  'locale',
  'title',
  'image',
] as const;
type ProfileStringAttribute = (typeof PROFILE_STRING_ATTRIBUTES)[number];
const IDENTIFIERS = ['email', 'external_id', 'phone_number'] as const;
type Identifier = (typeof IDENTIFIERS)[number];

export interface ProfileRecord {
  id: string;
  seq: number;
  created: number;
  updated: number;
  attributes: Record<ProfileStringAttribute, string | null>;
  location: Record<string, unknown> | null;
  properties: Record<string, unknown>;
}

export interface ListMember {
  profileId: string;
  seq: number;
  joinedAt: number;
}

export interface ListRecord {
  id: string;
  seq: number;
  name: string;
  optInProcess: 'single_opt_in' | 'double_opt_in';
  created: number;
  updated: number;
  /** Members in join order (a Map keeps insertion order; re-adding after a removal goes last). */
  members: Map<string, ListMember>;
}

/** A profile resource object as the request bodies carry it (already schema-validated). */
export interface ProfileInput {
  id?: string | null;
  attributes: Record<string, unknown>;
  meta?: { patch_properties?: PatchProperties | null } | null;
}

export interface WriteCounts {
  profiles_created: number;
  profiles_updated: number;
  profiles_imported: number;
  list_members_added: number;
  list_members_removed: number;
  lists_created: number;
}

/**
 * How null attribute values act: `clear` as in Create or Update Profile and Update Profile ("setting
 * a field to null will clear out the field"), `ignore` as in Bulk Import Profiles (its guide: "does
 * not support setting fields to null to clear them").
 */
export type NullMode = 'clear' | 'ignore';

export type KlaviyoStore = ReturnType<typeof createKlaviyoStore>;

// A practical check, not RFC 5322: Klaviyo rejects addresses without a local part, "@" and a dotted domain.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Property strings up to this length are kept once however many profiles hold them (tier names, dates). */
const SHARED_STRING_MAX_LENGTH = 64;

/**
 * The emulator's state: profiles (indexed by email, external_id and phone number), lists with
 * their members, and the count of each write applied.
 *
 * Profiles are columns by creation index, not an object each, so a million of them fit: the
 * ids (ascending, so found by binary search), times and identifiers in arrays, the rarely set
 * attributes and locations by index, and the custom properties as one column per key plus each
 * profile's key order (see `createPropertyColumns`). Reads hand out a `ProfileRecord` made for
 * the occasion; writes go through the store.
 *
 * @example
 * const store = createKlaviyoStore({ ids: createIdSource(1), now: () => Date.now() });
 * const profile = store.createProfile({ attributes: { email: 'a@example.com' } });
 * store.upsertProfile({ attributes: { email: 'a@example.com', properties: { tier: 'vip' } } }, 'clear').created; // false
 */
export function createKlaviyoStore(deps: { ids: IdSource; now: () => number }) {
  const ids: string[] = [];
  const seqs: number[] = [];
  const created: number[] = [];
  const updated: number[] = [];
  const identifiers: Record<Identifier, (string | null)[]> = { email: [], external_id: [], phone_number: [] };
  /** The other string attributes, for the profiles that have any set. */
  const otherAttributes = new Map<number, Partial<Record<ProfileStringAttribute, string | null>>>();
  const locations = new Map<number, Record<string, unknown>>();
  const properties = createPropertyColumns();
  const indexes: Record<Identifier, Map<string, number>> = { email: new Map(), external_id: new Map(), phone_number: new Map() };
  const lists = new Map<string, ListRecord>();
  const writes: WriteCounts = {
    profiles_created: 0,
    profiles_updated: 0,
    profiles_imported: 0,
    list_members_added: 0,
    list_members_removed: 0,
    lists_created: 0,
  };
  let seq = 0;

  const indexKey = (identifier: Identifier, value: string): string => (identifier === 'email' ? value.trim().toLowerCase() : value);
  const ownerOf = (identifier: Identifier, value: string): number | undefined => indexes[identifier].get(indexKey(identifier, value));

  /** Where profile `id` stands, or -1 (ids are ULIDs in creation order, so they ascend). */
  const indexOfId = (id: string): number => {
    let low = 0;
    let high = ids.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = ids[middle] as string;
      if (at === id) return middle;
      if (at < id) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  };

  const attributeOf = (index: number, key: ProfileStringAttribute): string | null =>
    (IDENTIFIERS as readonly string[]).includes(key) ? ((identifiers[key as Identifier][index] as string | null) ?? null) : (otherAttributes.get(index)?.[key] ?? null);

  /** The profile at creation index `index` as a record of its own (changing it changes nothing). */
  const profileAt = (index: number): ProfileRecord => ({
    id: ids[index] as string,
    seq: seqs[index] as number,
    created: created[index] as number,
    updated: updated[index] as number,
    attributes: Object.fromEntries(PROFILE_STRING_ATTRIBUTES.map((key) => [key, attributeOf(index, key)])) as ProfileRecord['attributes'],
    location: locations.get(index) ?? null,
    properties: properties.get(index),
  });

  /** The identifiers `attributes` would set (strings only; null or absent leave no new owner). */
  const newIdentifiers = (attributes: Record<string, unknown>): [Identifier, string][] =>
    IDENTIFIERS.flatMap((identifier) => {
      const value = attributes[identifier];
      return typeof value === 'string' && value !== '' ? [[identifier, value] as [Identifier, string]] : [];
    });

  const checkEmail = (attributes: Record<string, unknown>): void => {
    const email = attributes.email;
    if (typeof email === 'string' && !EMAIL_PATTERN.test(email)) {
      throw invalid(`Invalid email address: ${JSON.stringify(email)}.`, { pointer: '/data/attributes/email' });
    }
  };

  const checkConflicts = (attributes: Record<string, unknown>, self: number | null): void => {
    for (const [identifier, value] of newIdentifiers(attributes)) {
      const owner = ownerOf(identifier, value);
      if (owner !== undefined && owner !== self) throw duplicateProfile(ids[owner] as string);
    }
  };

  const setAttribute = (index: number, key: ProfileStringAttribute, next: string | null): void => {
    if ((IDENTIFIERS as readonly string[]).includes(key)) {
      const identifier = key as Identifier;
      const previous = identifiers[identifier][index] ?? null;
      if (previous !== null) indexes[identifier].delete(indexKey(identifier, previous));
      if (next !== null && next !== '') indexes[identifier].set(indexKey(identifier, next), index);
      identifiers[identifier][index] = next;
      return;
    }
    const others = otherAttributes.get(index) ?? {};
    others[key] = next;
    otherAttributes.set(index, others);
  };

  const applyAttributes = (index: number, input: ProfileInput, nullMode: NullMode): void => {
    const attributes = input.attributes;
    for (const key of PROFILE_STRING_ATTRIBUTES) {
      if (!(key in attributes)) continue;
      const value = attributes[key];
      if (value === null && nullMode === 'ignore') continue;
      setAttribute(index, key, typeof value === 'string' ? value : null);
    }
    if ('location' in attributes) {
      const location = attributes.location;
      if (location === null) {
        if (nullMode === 'clear') locations.delete(index);
      } else if (typeof location === 'object') {
        const merged: Record<string, unknown> = { ...(locations.get(index) ?? {}) };
        for (const [key, value] of Object.entries(location as Record<string, unknown>)) {
          if (value === null && nullMode === 'ignore') continue;
          merged[key] = value;
        }
        locations.set(index, merged);
      }
    }
    const patch = input.meta?.patch_properties;
    if ('properties' in attributes || patch) {
      let next = properties.get(index);
      const given = attributes.properties;
      if (given === null) {
        if (nullMode === 'clear') next = {};
      } else if (typeof given === 'object') {
        for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
          if (value === null && nullMode === 'ignore') continue;
          next[key] = value;
        }
      }
      if (patch) applyPatchProperties(next, patch);
      properties.set(index, next);
    }
    updated[index] = deps.now();
  };

  const insertProfile = (input: ProfileInput, nullMode: NullMode): number => {
    if (newIdentifiers(input.attributes).length === 0) {
      throw invalid('One of email, phone_number or external_id is required to create a profile.', { pointer: '/data/attributes' });
    }
    const time = deps.now();
    const id = deps.ids.ulid();
    const last = ids[ids.length - 1];
    if (last !== undefined && !(id > last)) throw new Error(`Klaviyo sandbox: profile id ${id} does not sort after ${last}; the store finds profiles by binary search over ascending ids`);
    const index = ids.length;
    ids.push(id);
    seqs.push(seq++);
    created.push(time);
    updated.push(time);
    for (const identifier of IDENTIFIERS) identifiers[identifier].push(null);
    properties.add();
    applyAttributes(index, input, nullMode);
    writes.profiles_created += 1;
    return index;
  };

  const requireProfileIndex = (id: string): number => {
    const index = indexOfId(id);
    if (index < 0) throw notFound(`A profile with id ${id} does not exist.`);
    return index;
  };

  const requireList = (id: string): ListRecord => {
    const list = lists.get(id);
    if (!list) throw notFound(`A list with id ${id} does not exist.`);
    return list;
  };

  /** Each list's members in join order, made when a page first needs them and dropped when the list changes. */
  const memberOrder = new WeakMap<ListRecord, readonly ListMember[]>();

  return {
    writes,
    /** How many profiles there are; their creation indexes are 0 to this − 1, in ascending `seq`. */
    profileCount: (): number => ids.length,
    /** The profile at a creation index, in a record of its own. */
    profileAt,
    /** Every profile in creation order, for paging by `seq` (made a page at a time). */
    profiles: (): Sequence<ProfileRecord> => ({ length: ids.length, seqAt: (index) => seqs[index] as number, at: profileAt }),
    /** A custom property of the profile at a creation index (undefined when it has none). */
    propertyAt: (index: number, name: string): unknown => properties.value(index, name),
    lists: (): Iterable<ListRecord> => lists.values(),
    getProfile(id: string): ProfileRecord | undefined {
      const index = indexOfId(id);
      return index < 0 ? undefined : profileAt(index);
    },
    getList: (id: string): ListRecord | undefined => lists.get(id),
    requireProfile: (id: string): ProfileRecord => profileAt(requireProfileIndex(id)),
    requireList,
    /** The profile holding this identifier value (emails match case-insensitively). */
    findBy(identifier: Identifier, value: string): ProfileRecord | undefined {
      const owner = ownerOf(identifier, value);
      return owner === undefined ? undefined : profileAt(owner);
    },

    /** Create Profile: 409 `duplicate_profile` when any identifier is already taken. */
    createProfile(input: ProfileInput): ProfileRecord {
      checkEmail(input.attributes);
      checkConflicts(input.attributes, null);
      return profileAt(insertProfile(input, 'clear'));
    },

    /**
     * Create or Update Profile / one profile of a bulk import: by `id` when given, else the
     * profile matching email, external_id or phone number; two different matches are a 409.
     */
    upsertProfile(input: ProfileInput, nullMode: NullMode): { profile: ProfileRecord; created: boolean } {
      checkEmail(input.attributes);
      let target: number | undefined;
      if (typeof input.id === 'string' && input.id !== '') {
        target = requireProfileIndex(input.id);
      } else {
        const owners = [...new Set(newIdentifiers(input.attributes).flatMap(([identifier, value]) => ownerOf(identifier, value) ?? []))];
        if (owners.length > 1) throw duplicateProfile(ids[owners[0] as number] as string);
        target = owners[0];
      }
      if (target === undefined) return { profile: profileAt(insertProfile(input, nullMode)), created: true };
      checkConflicts(input.attributes, target);
      applyAttributes(target, input, nullMode);
      writes.profiles_updated += 1;
      return { profile: profileAt(target), created: false };
    },

    /** Update Profile (PATCH): the profile must exist; a taken identifier is a 409. */
    updateProfile(id: string, input: ProfileInput): ProfileRecord {
      const index = requireProfileIndex(id);
      checkEmail(input.attributes);
      checkConflicts(input.attributes, index);
      applyAttributes(index, input, 'clear');
      writes.profiles_updated += 1;
      return profileAt(index);
    },

    createList(name: string, optInProcess: ListRecord['optInProcess']): ListRecord {
      const time = deps.now();
      const list: ListRecord = { id: deps.ids.listId(), seq: seq++, name, optInProcess, created: time, updated: time, members: new Map() };
      lists.set(list.id, list);
      writes.lists_created += 1;
      return list;
    },

    /** A list's members in join order (ascending `seq`), for paging. */
    members(list: ListRecord): readonly ListMember[] {
      let ordered = memberOrder.get(list);
      if (!ordered) {
        ordered = [...list.members.values()];
        memberOrder.set(list, ordered);
      }
      return ordered;
    },

    /** Adds profiles to a list (membership only: consent is never touched). Returns how many were new. */
    addMembers(listId: string, profileIds: readonly string[]): number {
      const list = requireList(listId);
      let added = 0;
      const time = deps.now();
      for (const given of profileIds) {
        // The store's own id string, not the request's copy, is kept for each membership.
        const index = indexOfId(given);
        const profileId = index < 0 ? given : (ids[index] as string);
        if (list.members.has(profileId)) continue;
        list.members.set(profileId, { profileId, seq: seq++, joinedAt: time });
        added += 1;
      }
      if (added > 0) {
        list.updated = time;
        memberOrder.delete(list);
      }
      writes.list_members_added += added;
      return added;
    },

    /** Removes profiles from a list; profiles that are not members are ignored. Returns how many left. */
    removeMembers(listId: string, profileIds: readonly string[]): number {
      const list = requireList(listId);
      let removed = 0;
      for (const profileId of profileIds) if (list.members.delete(profileId)) removed += 1;
      if (removed > 0) {
        list.updated = deps.now();
        memberOrder.delete(list);
      }
      writes.list_members_removed += removed;
      return removed;
    },
  };
}

/**
 * Custom properties of every profile as columns: one array per property key, by creation
 * index, and each profile's keys in their order as a shared list (most profiles have the same
 * keys in the same order). Short strings are kept once, so a million profiles with a tier
 * name hold one copy of it.
 */
function createPropertyColumns() {
  const shapes: (readonly string[])[] = [[]];
  const shapeCodes = new Map<string, number>([['[]', 0]]);
  const shapeOf: number[] = [];
  const columns = new Map<string, unknown[]>();
  const shared = new Map<string, string>();

  const shapeCode = (keys: readonly string[]): number => {
    const text = JSON.stringify(keys);
    let code = shapeCodes.get(text);
    if (code === undefined) {
      code = shapes.length;
      shapes.push(Object.freeze([...keys]));
      shapeCodes.set(text, code);
    }
    return code;
  };
  const keep = (value: unknown): unknown => {
    if (typeof value !== 'string' || value.length > SHARED_STRING_MAX_LENGTH) return value;
    const known = shared.get(value);
    if (known !== undefined) return known;
    shared.set(value, value);
    return value;
  };
  const column = (key: string): unknown[] => {
    let values = columns.get(key);
    if (!values) {
      // Filled to the current length so that the array stays dense.
      values = new Array<unknown>(shapeOf.length).fill(undefined);
      columns.set(key, values);
    }
    return values;
  };

  return {
    add(): void {
      shapeOf.push(0);
      for (const values of columns.values()) values.push(undefined);
    },
    get(index: number): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const key of shapes[shapeOf[index] as number] as readonly string[]) out[key] = (columns.get(key) as unknown[])[index];
      return out;
    },
    value(index: number, key: string): unknown {
      return columns.get(key)?.[index];
    },
    set(index: number, properties: Record<string, unknown>): void {
      for (const key of shapes[shapeOf[index] as number] as readonly string[]) (columns.get(key) as unknown[])[index] = undefined;
      const keys = Object.keys(properties);
      shapeOf[index] = shapeCode(keys);
      for (const key of keys) column(key)[index] = keep(properties[key]);
    },
  };
}
