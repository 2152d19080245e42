/**
 * The test clock: injected as `now` and `sleep`, it takes no real time and gives exact waits.
 * A `sleep` is a timer on the clock's own time line; whenever timers are pending, the clock
 * lets everything else that is ready run first (one `setImmediate` turn), then moves time to
 * the earliest timer and wakes it. Concurrent sleepers therefore wake in time order, as with
 * real timers, and a single sleeper's wait passes at once.
 *
 * @example
 * const clock = createTestClock(1_700_000_000_000);
 * const client = createShopifyClient({ ..., now: clock.now, sleep: clock.sleep });
 * expect(clock.sleeps).toEqual([1000, 1500]);
 */
export function createTestClock(start = 0) {
  let time = start;
  let sequence = 0;
  const timers: { at: number; sequence: number; wake: () => void }[] = [];
  /** Every sleep asked for, in order. */
  const sleeps: number[] = [];
  let turnScheduled = false;

  const fireEarliest = (): void => {
    turnScheduled = false;
    timers.sort((a, b) => a.at - b.at || a.sequence - b.sequence);
    const next = timers.shift();
    if (!next) return;
    time = Math.max(time, next.at);
    next.wake();
    if (timers.length > 0) scheduleTurn();
  };
  const scheduleTurn = (): void => {
    if (turnScheduled) return;
    turnScheduled = true;
    setImmediate(fireEarliest);
  };

  return {
    now: (): number => time,
    sleeps,
    sleep(ms: number): Promise<void> {
      sleeps.push(ms);
      return new Promise((wake) => {
        timers.push({ at: time + Math.max(0, ms), sequence: sequence++, wake });
        scheduleTurn();
      });
    },
    /** Moves time forward without waking anyone early (a timer due by then wakes on its turn). */
    advance(ms: number): void {
      time += ms;
    },
  };
}
