import { duplicateProfile, invalid, notFound } from './errors.ts';
import type { IdSource } from './ids.ts';
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

/**
 * The emulator's state: profiles (indexed by email, external_id and phone number), lists with
 * their members, and the count of each write applied.
 *
 * @example
 * const store = createKlaviyoStore({ ids: createIdSource(1), now: () => Date.now() });
 * const profile = store.createProfile({ attributes: { email: 'a@example.com' } });
 * store.upsertProfile({ attributes: { email: 'a@example.com', properties: { tier: 'vip' } } }, 'clear').created; // false
 */
export function createKlaviyoStore(deps: { ids: IdSource; now: () => number }) {
  const profiles = new Map<string, ProfileRecord>();
  // Profiles are never deleted, so creation order (= ascending seq) is an append-only array.
  const profilesInOrder: ProfileRecord[] = [];
  const indexes: Record<Identifier, Map<string, string>> = { email: new Map(), external_id: new Map(), phone_number: new Map() };
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
  const ownerOf = (identifier: Identifier, value: string): string | undefined => indexes[identifier].get(indexKey(identifier, value));

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

  const checkConflicts = (attributes: Record<string, unknown>, selfId: string | null): void => {
    for (const [identifier, value] of newIdentifiers(attributes)) {
      const owner = ownerOf(identifier, value);
      if (owner !== undefined && owner !== selfId) throw duplicateProfile(owner);
    }
  };

  const applyAttributes = (profile: ProfileRecord, input: ProfileInput, nullMode: NullMode): void => {
    const attributes = input.attributes;
    for (const key of PROFILE_STRING_ATTRIBUTES) {
      if (!(key in attributes)) continue;
      const value = attributes[key];
      if (value === null && nullMode === 'ignore') continue;
      const next = typeof value === 'string' ? value : null;
      const previous = profile.attributes[key];
      if ((IDENTIFIERS as readonly string[]).includes(key)) {
        const identifier = key as Identifier;
        if (previous !== null) indexes[identifier].delete(indexKey(identifier, previous));
        if (next !== null && next !== '') indexes[identifier].set(indexKey(identifier, next), profile.id);
      }
      profile.attributes[key] = next;
    }
    if ('location' in attributes) {
      const location = attributes.location;
      if (location === null) {
        if (nullMode === 'clear') profile.location = null;
      } else if (typeof location === 'object') {
        const merged: Record<string, unknown> = { ...(profile.location ?? {}) };
        for (const [key, value] of Object.entries(location as Record<string, unknown>)) {
          if (value === null && nullMode === 'ignore') continue;
          merged[key] = value;
        }
        profile.location = merged;
      }
    }
    if ('properties' in attributes) {
      const properties = attributes.properties;
      if (properties === null) {
        if (nullMode === 'clear') profile.properties = {};
      } else if (typeof properties === 'object') {
        for (const [key, value] of Object.entries(properties as Record<string, unknown>)) {
          if (value === null && nullMode === 'ignore') continue;
          profile.properties[key] = value;
        }
      }
    }
    const patch = input.meta?.patch_properties;
    if (patch) applyPatchProperties(profile.properties, patch);
    profile.updated = deps.now();
  };

  const insertProfile = (input: ProfileInput, nullMode: NullMode): ProfileRecord => {
    if (newIdentifiers(input.attributes).length === 0) {
      throw invalid('One of email, phone_number or external_id is required to create a profile.', { pointer: '/data/attributes' });
    }
    const time = deps.now();
    const profile: ProfileRecord = {
      id: deps.ids.ulid(),
      seq: seq++,
      created: time,
      updated: time,
      attributes: Object.fromEntries(PROFILE_STRING_ATTRIBUTES.map((key) => [key, null])) as ProfileRecord['attributes'],
      location: null,
      properties: {},
    };
    profiles.set(profile.id, profile);
    profilesInOrder.push(profile);
    applyAttributes(profile, input, nullMode);
    writes.profiles_created += 1;
    return profile;
  };

  const requireProfile = (id: string): ProfileRecord => {
    const profile = profiles.get(id);
    if (!profile) throw notFound(`A profile with id ${id} does not exist.`);
    return profile;
  };

  const requireList = (id: string): ListRecord => {
    const list = lists.get(id);
    if (!list) throw notFound(`A list with id ${id} does not exist.`);
    return list;
  };

  return {
    writes,
    /** Every profile in creation order (ascending `seq`). */
    profiles: (): readonly ProfileRecord[] => profilesInOrder,
    lists: (): Iterable<ListRecord> => lists.values(),
    getProfile: (id: string): ProfileRecord | undefined => profiles.get(id),
    getList: (id: string): ListRecord | undefined => lists.get(id),
    requireProfile,
    requireList,
    /** The profile holding this identifier value (emails match case-insensitively). */
    findBy(identifier: Identifier, value: string): ProfileRecord | undefined {
      const owner = ownerOf(identifier, value);
      return owner === undefined ? undefined : profiles.get(owner);
    },

    /** Create Profile: 409 `duplicate_profile` when any identifier is already taken. */
    createProfile(input: ProfileInput): ProfileRecord {
      checkEmail(input.attributes);
      checkConflicts(input.attributes, null);
      return insertProfile(input, 'clear');
    },

    /**
     * Create or Update Profile / one profile of a bulk import: by `id` when given, else the
     * profile matching email, external_id or phone number; two different matches are a 409.
     */
    upsertProfile(input: ProfileInput, nullMode: NullMode): { profile: ProfileRecord; created: boolean } {
      checkEmail(input.attributes);
      let target: ProfileRecord | undefined;
      if (typeof input.id === 'string' && input.id !== '') {
        target = requireProfile(input.id);
      } else {
        const owners = [...new Set(newIdentifiers(input.attributes).flatMap(([identifier, value]) => ownerOf(identifier, value) ?? []))];
        if (owners.length > 1) throw duplicateProfile(owners[0] as string);
        target = owners[0] === undefined ? undefined : profiles.get(owners[0]);
      }
      if (target === undefined) return { profile: insertProfile(input, nullMode), created: true };
      checkConflicts(input.attributes, target.id);
      applyAttributes(target, input, nullMode);
      writes.profiles_updated += 1;
      return { profile: target, created: false };
    },

    /** Update Profile (PATCH): the profile must exist; a taken identifier is a 409. */
    updateProfile(id: string, input: ProfileInput): ProfileRecord {
      const profile = requireProfile(id);
      checkEmail(input.attributes);
      checkConflicts(input.attributes, id);
      applyAttributes(profile, input, 'clear');
      writes.profiles_updated += 1;
      return profile;
    },

    createList(name: string, optInProcess: ListRecord['optInProcess']): ListRecord {
      const time = deps.now();
      const list: ListRecord = { id: deps.ids.listId(), seq: seq++, name, optInProcess, created: time, updated: time, members: new Map() };
      lists.set(list.id, list);
      writes.lists_created += 1;
      return list;
    },

    /** Adds profiles to a list (membership only: consent is never touched). Returns how many were new. */
    addMembers(listId: string, profileIds: readonly string[]): number {
      const list = requireList(listId);
      let added = 0;
      const time = deps.now();
      for (const profileId of profileIds) {
        if (list.members.has(profileId)) continue;
        list.members.set(profileId, { profileId, seq: seq++, joinedAt: time });
        added += 1;
      }
      if (added > 0) list.updated = time;
      writes.list_members_added += added;
      return added;
    },

    /** Removes profiles from a list; profiles that are not members are ignored. Returns how many left. */
    removeMembers(listId: string, profileIds: readonly string[]): number {
      const list = requireList(listId);
      let removed = 0;
      for (const profileId of profileIds) if (list.members.delete(profileId)) removed += 1;
      if (removed > 0) list.updated = deps.now();
      writes.list_members_removed += removed;
      return removed;
    },
  };
}
