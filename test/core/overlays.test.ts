import { describe, expect, it } from 'vitest';
import { frequencyTrendOf, rfmSegmentOf } from '../../src/core/overlays.ts';

describe('frequency trend', () => {
  it('reads the sign of the 180-day trend', () => {
    expect([frequencyTrendOf(3), frequencyTrendOf(1), frequencyTrendOf(0), frequencyTrendOf(-1), frequencyTrendOf(-5)]).toEqual([
      'increasing', 'increasing', 'stable', 'declining', 'declining',
    ]);
  });
});

describe('named RFM segment', () => {
  it('follows the R×F grid cell by cell (rows F 5 → 1, columns R 1 → 5)', () => {
    const grid = [5, 4, 3, 2, 1].map((f) => [1, 2, 3, 4, 5].map((r) => rfmSegmentOf(r, f)));
    expect(grid).toEqual([
      ["Can't Lose Them", "Can't Lose Them", 'Loyal', 'Loyal', 'Champions'],
      ['At Risk', 'At Risk', 'Loyal', 'Loyal', 'Champions'],
      ['At Risk', 'At Risk', 'Need Attention', 'Potential Loyalist', 'Potential Loyalist'],
      ['Lost', 'Hibernating', 'About to Sleep', 'Potential Loyalist', 'Potential Loyalist'],
      ['Lost', 'Hibernating', 'About to Sleep', 'Promising', 'New'],
    ]);
  });

  it('refuses scores outside 1–5', () => {
    expect(() => rfmSegmentOf(0, 3)).toThrow(/R and F must be whole scores 1–5 \(got R 0, F 3\)/);
    expect(() => rfmSegmentOf(3, 2.5)).toThrow(RangeError);
  });
});
