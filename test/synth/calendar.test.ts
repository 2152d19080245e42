import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/core/order.ts';
import { createBusyCalendar, dayIntensity, HISTORY_DAYS } from '../../src/synth/calendar.ts';

const asOfMs = Date.UTC(2026, 0, 1);

describe('busy calendar', () => {
  const calendar = createBusyCalendar(asOfMs);

  it('maps busy time 0 to the start of the 730-day window and the end to one second before asOf', () => {
    expect(calendar.toMs(0)).toBe(asOfMs - HISTORY_DAYS * DAY_MS);
    expect(calendar.toMs(calendar.total)).toBe(asOfMs - 1000);
    expect(calendar.toMs(-5)).toBe(asOfMs - HISTORY_DAYS * DAY_MS);
  });

  it('never goes backwards and lands on whole seconds', () => {
    let previous = -Infinity;
    for (let busy = 0; busy <= calendar.total; busy += calendar.total / 5000) {
      const ms = calendar.toMs(busy);
      expect(ms).toBeGreaterThanOrEqual(previous);
      expect(ms % 1000).toBe(0);
      previous = ms;
    }
  });

  it('spends more busy time on a Black Friday week day than on an ordinary March day', () => {
    const november28 = Date.UTC(2025, 10, 28);
    const march12 = Date.UTC(2025, 2, 12);
    expect(dayIntensity(november28, 0.5)).toBeGreaterThan(2.5 * dayIntensity(march12, 0.5));
    // A day's busy length is its intensity: the busy time between two day starts shows it.
    const busyAt = (ms: number) => {
      let low = 0;
      let high = calendar.total;
      for (let i = 0; i < 60; i++) {
        const mid = (low + high) / 2;
        if (calendar.toMs(mid) < ms) low = mid;
        else high = mid;
      }
      return high;
    };
    const novemberDay = busyAt(november28 + DAY_MS) - busyAt(november28);
    const marchDay = busyAt(march12 + DAY_MS) - busyAt(march12);
    const progress = (ms: number) => (ms - (asOfMs - HISTORY_DAYS * DAY_MS)) / DAY_MS / HISTORY_DAYS;
    const expected = dayIntensity(november28, progress(november28)) / dayIntensity(march12, progress(march12));
    expect(novemberDay / marchDay).toBeCloseTo(expected, 2);
  });

  it('grows: the same weekday a year later is busier', () => {
    const day = Date.UTC(2024, 5, 5);
    expect(dayIntensity(day + 364 * DAY_MS, 1)).toBeGreaterThan(dayIntensity(day, 0.5));
  });
});
