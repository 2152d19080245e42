import { describe, expect, it } from 'vitest';
import { churnHistogram, emptyScoreNotes, paretoPoints, recencyByTier, rfCounts } from '../../../src/report/html/chart-data.ts';

describe('paretoPoints', () => {
  it('ranks LTV highest first and takes floor(k·N/steps) customers at step k', () => {
    // Sorted: 400, 300, 200, 100; total 1000.
    expect(paretoPoints([100, 400, 300, 200], 4)).toEqual([
      { x: 0, y: 0 },
      { x: 0.25, y: 0.4 },
      { x: 0.5, y: 0.7 },
      { x: 0.75, y: 0.9 },
      { x: 1, y: 1 },
    ]);
  });

  it('rounds the customer count down when steps do not divide N', () => {
    // N = 3: k=1 → floor(3/4) = 0 customers, k=2 → 1, k=3 → 2, k=4 → 3. Sorted 50, 30, 20.
    expect(paretoPoints([20, 50, 30], 4).map((p) => p.y)).toEqual([0, 0, 0.5, 0.8, 1]);
  });

  it('gives 0 everywhere without a positive total, and 101 points by default', () => {
    expect(paretoPoints([0, 0]).every((p) => p.y === 0)).toBe(true);
    expect(paretoPoints([])).toHaveLength(101);
  });
});

describe('recencyByTier', () => {
  it('counts customers per tier and bucket in the given order, ignoring unknown ids', () => {
    const segments = [
      { tier: 'vip', recencyBucket: 'active' },
      { tier: 'vip', recencyBucket: 'active' },
      { tier: 'vip', recencyBucket: 'cold' },
      { tier: 'new', recencyBucket: 'active' },
      { tier: 'other', recencyBucket: 'active' },
    ];
    expect(recencyByTier(segments, ['vip', 'new'], ['active', 'cold'])).toEqual([
      [2, 1],
      [1, 0],
    ]);
  });
});

describe('rfCounts', () => {
  it('counts customers per R and F score at [r-1][f-1]', () => {
    const counts = rfCounts([
      { r: 5, f: 1 },
      { r: 5, f: 1 },
      { r: 1, f: 5 },
      { r: 3, f: 2 },
    ]);
    expect(counts[4]![0]).toBe(2);
    expect(counts[0]![4]).toBe(1);
    expect(counts[2]![1]).toBe(1);
    expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(4);
  });
});

describe('emptyScoreNotes', () => {
  it('explains empty F scores by the tie that spans them', () => {
    // 658 of 1,000 customers tie at the fewest orders (w = 0 → F = 1); the next have w = 658 → F = 4.
    const rf = [[200, 0, 0, 0, 0], [200, 0, 0, 0, 0], [150, 0, 0, 50, 0], [108, 0, 0, 50, 42], [0, 0, 0, 100, 100]];
    expect(emptyScoreNotes(rf)).toEqual([
      'F = 2 and F = 3 have no customers, by the scoring rule: a score is 1 + ⌊5 × customers strictly worse ÷ all customers⌋ and tied customers share the lower score, so a tie larger than a fifth of the customers spans more than one score. Here the 658 customers at F = 1 (65.8%) hold such a tie.',
    ]);
  });

  it('says nothing when every score has customers', () => {
    expect(emptyScoreNotes([[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1]])).toEqual([]);
  });
});

describe('churnHistogram', () => {
  it('bins by tens with 100 in the last bin, per requested tier only', () => {
    const segments = [
      { tier: 'vip', churnRisk: 0 },
      { tier: 'vip', churnRisk: 9 },
      { tier: 'vip', churnRisk: 10 },
      { tier: 'vip', churnRisk: 90 },
      { tier: 'vip', churnRisk: 100 },
      { tier: 'champion', churnRisk: 71 },
      { tier: 'mid_tier', churnRisk: 50 },
    ];
    expect(churnHistogram(segments, ['champion', 'vip'])).toEqual([
      [0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
      [2, 1, 0, 0, 0, 0, 0, 0, 0, 2],
    ]);
  });
});
