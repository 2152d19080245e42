import { describe, expect, it } from 'vitest';
import { ParentWindow } from '../../../src/shopify/bulk/parent-window.ts';

describe('ParentWindow', () => {
  it('joins children to waiting parents, evicts the oldest past the limit, and refuses late children', () => {
    const window = new ParentWindow<string, number>(2);
    expect(window.add('a', 'A')).toBeUndefined();
    expect(window.attach('a', 1)).toBe(true);
    expect(window.add('b', 'B')).toBeUndefined();
    expect(window.add('c', 'C')).toEqual({ parent: 'A', children: [1] });
    expect(window.attach('a', 2)).toBe(false);
    expect(window.attach('zzz', 3)).toBe(false);
    expect(window.attach('c', 4)).toBe(true);
    expect([...window.drain()]).toEqual([{ parent: 'B', children: [] }, { parent: 'C', children: [4] }]);
    expect([...window.drain()]).toEqual([]);
  });
});
