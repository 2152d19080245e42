import { describe, expect, it } from 'vitest';
import { applyPatchProperties } from '../../../src/sandbox/klaviyo/patch-properties.ts';

describe('applyPatchProperties', () => {
  it('appends to arrays, turns a scalar into an array, creates missing arrays', () => {
    const properties: Record<string, unknown> = { skus: ['1'], color: 'red' };
    applyPatchProperties(properties, { append: { skus: ['2', '3'], color: 'blue', tags: 'new' } });
    expect(properties).toEqual({ skus: ['1', '2', '3'], color: ['red', 'blue'], tags: ['new'] });
  });

  it('unappends every occurrence, leaves scalars alone, and unsets one key or several', () => {
    const properties: Record<string, unknown> = { skus: ['1', '2', '1', 3], plain: 'x', a: 1, b: 2 };
    applyPatchProperties(properties, { unappend: { skus: ['1', 3], plain: 'x' }, unset: ['a', 'b'] });
    expect(properties).toEqual({ skus: ['2'], plain: 'x' });
    applyPatchProperties(properties, { unset: 'plain' });
    expect(properties).toEqual({ skus: ['2'] });
  });
});
