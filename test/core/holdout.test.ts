import { describe, expect, it } from 'vitest';
import { holdoutHash, newHoldoutSalt, selectHoldouts } from '../../src/core/holdout.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';

const ids = (n: number, prefix = 'gid://shopify/Customer/') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('holdout selection', () => {
  it('hashes salt and id with SHA-256', () => {
    // sha256("s:c1"), computed independently with `printf 's:c1' | sha256sum`.
    expect(holdoutHash('s', 'c1')).toBe('ce58b21ddabb4c4664e0531737ff15a0a7b08b416a6bc04f5d2dfcaa2e34030b');
  });

  it('holds out exactly round(share × n) of a new segment, the same customers every time', () => {
    const first = selectHoldouts(ids(305), 'salt-a', 0.1, { assigned: 0, heldOut: 0 });
    expect(first.size).toBe(31);
    expect(selectHoldouts([...ids(305)].reverse(), 'salt-a', 0.1, { assigned: 0, heldOut: 0 })).toEqual(first);
    expect(selectHoldouts(ids(305), 'salt-b', 0.1, { assigned: 0, heldOut: 0 })).not.toEqual(first);
  });

  it('tops a segment up to its share as new customers join it', () => {
    expect(selectHoldouts(ids(5, 'n'), 'salt', 0.1, { assigned: 300, heldOut: 30 }).size).toBe(1);
    expect(selectHoldouts(ids(4, 'n'), 'salt', 0.1, { assigned: 300, heldOut: 30 }).size).toBe(0);
    expect(selectHoldouts(ids(3, 'n'), 'salt', 0.1, { assigned: 20, heldOut: 5 }).size).toBe(0);
    expect(selectHoldouts(ids(10), 'salt', 0, { assigned: 0, heldOut: 0 }).size).toBe(0);
  });

  it('draws a 16-hex-digit salt from the injected random source', () => {
    expect(newHoldoutSalt(() => 0)).toBe('0000000000000000');
    expect(newHoldoutSalt(() => 0.5)).toBe('8000800080008000');
    expect(newHoldoutSalt(seededRandom(3))).toMatch(/^[0-9a-f]{16}$/);
  });
});
