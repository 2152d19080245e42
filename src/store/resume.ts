import type { Store } from './open-store.ts';

/** A run that stopped midway after it had begun to apply. */
export interface ResumedRun {
  readonly id: number;
  /** Operations it confirmed (they stay applied: the applied state records them). */
  readonly confirmed: number;
  /** Operations it recorded but never confirmed: the next plan, made from fresh observations, covers them. */
  readonly unfinished: number;
}

/**
 * Marks the run that never finished (killed, interrupted, failed midway) as abandoned and says
 * how far its apply got; null when there is none, or it stopped before sending anything (a
 * failed pull, a guard stop), which leaves nothing to resume. A run journals operations only
 * once its guard let it apply, so a resumed run is one the guard (or `--force`) had approved.
 *
 * @example
 * const resumed = abandonUnfinishedRun(store); // { id: 4, confirmed: 1200, unfinished: 300 }
 */
export function abandonUnfinishedRun(store: Store): ResumedRun | null {
  const open = store.runs.openRun();
  if (!open) return null;
  let confirmed = 0;
  let unfinished = 0;
  for (const statuses of Object.values(store.journal.counts(open.id))) {
    confirmed += statuses.confirmed;
    unfinished += statuses.pending + statuses.sent;
  }
  store.runs.finishRun(open.id, 'abandoned', { ...open.counts, confirmed, unfinished });
  return confirmed + unfinished === 0 ? null : { id: open.id, confirmed, unfinished };
}
