/**
 * A virtual clock for tests: `sleep` registers a timer and `drive` runs a task, moving time
 * to the next timer whenever nothing else is left to do (I/O included), so waits are exact
 * and take no real time.
 */
export function createFakeClock(start = 0) {
  let t = start;
  const timers: { at: number; resolve: () => void }[] = [];
  const sleeps: number[] = [];
  return {
    now: () => t,
    /** Every sleep asked for, in order. */
    sleeps,
    sleep(ms: number): Promise<void> {
      sleeps.push(ms);
      return new Promise((resolve) => timers.push({ at: t + Math.max(0, ms), resolve }));
    },
    async drive<T>(task: Promise<T>): Promise<T> {
      let settled = false;
      const watched = task.finally(() => {
        settled = true;
      });
      watched.catch(() => undefined);
      while (!settled) {
        await new Promise((resolve) => setImmediate(resolve));
        if (settled || timers.length === 0) continue;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift() as { at: number; resolve: () => void };
        t = Math.max(t, next.at);
        next.resolve();
      }
      return watched;
    },
  };
}
