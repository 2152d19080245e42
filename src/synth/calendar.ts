import { DAY_MS } from '../core/order.ts';

/** By default the synthetic shop covers the 730 days (24 months) that end at `asOf`. */
export const HISTORY_DAYS = 730;

/** Days of a history of `months` months: 730 for 24, at the same 365/12 days a month. */
export function historyDaysOf(months: number): number {
  return Math.round((months * HISTORY_DAYS) / 24);
}

/**
 * How busy the shop is on a calendar day, relative to an ordinary day: steady growth over the
 * history (`progress` 0 at its start, 1 at asOf), a November–December holiday peak (Black Friday week highest), a quiet January and
 * busier weekends.
 *
 * @example
 * dayIntensity(Date.UTC(2025, 10, 28), 0.5) > dayIntensity(Date.UTC(2025, 2, 12), 0.5); // true
 */
export function dayIntensity(dayStartMs: number, progress: number): number {
  const date = new Date(dayStartMs);
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  let seasonal = 1;
  if (month === 10 && day >= 22) seasonal = 3.2;
  else if (month === 10 && day >= 10) seasonal = 1.8;
  else if (month === 10) seasonal = 1.3;
  else if (month === 11 && day <= 20) seasonal = 2.4;
  else if (month === 11) seasonal = 1.4;
  else if (month === 0) seasonal = 0.8;
  const weekday = date.getUTCDay();
  const weekly = weekday === 0 || weekday === 6 ? 1.15 : 0.94;
  const growth = 0.8 + 0.4 * progress;
  return seasonal * weekly * growth;
}

/**
 * The shop's clock in "busy time": one unit per ordinary day, more per holiday day. Placing
 * orders uniformly (or at regular gaps) in busy time and mapping them back to real time gives
 * the seasonal shape without rejection sampling.
 */
export interface BusyCalendar {
  /** Busy time at `asOf`; busy time 0 is the start of the history window. */
  readonly total: number;
  /** Real time (epoch ms, whole seconds, before asOf) of a busy time in [0, total]. */
  toMs(busy: number): number;
}

/**
 * Builds the busy-time calendar for the `historyDays` (default 730) ending at `asOfMs`.
 *
 * @example
 * const calendar = createBusyCalendar(Date.UTC(2026, 0, 1));
 * calendar.toMs(calendar.total); // one second before Date.UTC(2026, 0, 1)
 */
export function createBusyCalendar(asOfMs: number, historyDays: number = HISTORY_DAYS): BusyCalendar {
  const startMs = asOfMs - historyDays * DAY_MS;
  // cumulative[d] is the busy time at the start of day d of the window.
  const cumulative = new Float64Array(historyDays + 1);
  for (let d = 0; d < historyDays; d++) {
    cumulative[d + 1] = (cumulative[d] as number) + dayIntensity(startMs + d * DAY_MS, d / historyDays);
  }
  const total = cumulative[historyDays] as number;
  return {
    total,
    toMs(busy) {
      const clamped = Math.min(Math.max(busy, 0), total);
      let low = 0;
      let high = historyDays;
      while (high - low > 1) {
        const mid = (low + high) >> 1;
        if ((cumulative[mid] as number) <= clamped) low = mid;
        else high = mid;
      }
      const dayStart = cumulative[low] as number;
      const dayLength = (cumulative[low + 1] as number) - dayStart;
      const fraction = dayLength > 0 ? (clamped - dayStart) / dayLength : 0;
      const ms = startMs + (low + fraction) * DAY_MS;
      // Strictly before asOf: an order at asOf itself would sit on the boundary of "the future".
      return Math.min(Math.floor(ms / 1000) * 1000, Math.floor(asOfMs / 1000) * 1000 - 1000);
    },
  };
}
