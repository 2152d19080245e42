import { describe, expect, it } from 'vitest';
import { createIdSource } from '../../../src/sandbox/klaviyo/ids.ts';

describe('createIdSource', () => {
  it('makes 26-character Crockford ULIDs that sort in creation order, the same for the same seed', () => {
    const first = createIdSource(5);
    const ids = Array.from({ length: 40 }, () => first.ulid());
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(40);
    const again = createIdSource(5);
    expect(Array.from({ length: 40 }, () => again.ulid())).toEqual(ids);
    // 2026-01-01T00:00:00Z is 1,767,225,600,000 ms: its 48-bit time in Crockford base32.
    expect(ids[0]?.slice(0, 10)).toBe('01KDVDNA00');
  });

  it('makes 6-character list ids and version-4 UUIDs from their own streams', () => {
    const ids = createIdSource(5);
    const listIds = Array.from({ length: 20 }, () => ids.listId());
    expect(listIds.every((id) => /^[A-Za-z0-9]{6}$/.test(id))).toBe(true);
    expect(ids.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const other = createIdSource(5);
    other.uuid();
    other.uuid();
    expect(other.ulid()).toBe(createIdSource(5).ulid());
  });
});
