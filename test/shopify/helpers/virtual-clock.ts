/**
 * A clock whose `sleep` moves time forward at once: waits are exact, recorded, and take no
 * real time.
 */
export function createVirtualClock(start = 0) {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleeps,
    sleep(ms: number): Promise<void> {
      sleeps.push(ms);
      time += Math.max(0, ms);
      return Promise.resolve();
    },
    advance(ms: number): void {
      time += ms;
    },
  };
}
