import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChildRunner, type ChildRunner } from '../../src/daemon/child-run.ts';
import { cronScheduler, type Scheduler } from '../../src/daemon/cron-schedule.ts';
import { createDaemon } from '../../src/daemon/daemon.ts';

const FAKE_SYNC = join(import.meta.dirname, 'fake-sync.mjs');

type LogLine = Record<string, unknown> & { event: string };

/** A pino logger writing into an array, with a way to wait for a line (no sleeps). */
function capturingLogger() {
  const lines: LogLine[] = [];
  const waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  const logger = pino(
    { base: null },
    {
      write(text: string) {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(line)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
      },
    },
  );
  /** The first line, already logged or still to come, matching the predicate. */
  const waitFor = (predicate: (line: LogLine) => boolean): Promise<LogLine> => {
    const seen = lines.find(predicate);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ predicate, resolve }));
  };
  return { logger, lines, waitFor };
}

/** Fake syncs report "ready <pid>" here once their signal handlers are installed. */
const readyServer = createServer();
const readyPids = new Set<number>();
const readyWaiters = new Map<number, () => void>();
readyServer.on('connection', (socket) => {
  let text = '';
  socket.on('data', (chunk) => (text += chunk));
  socket.on('end', () => {
    const pid = Number(/^ready (\d+)/.exec(text)?.[1]);
    readyPids.add(pid);
    readyWaiters.get(pid)?.();
  });
});
let readyPort = 0;
beforeAll(async () => {
  readyServer.listen(0, '127.0.0.1');
  await once(readyServer, 'listening');
  readyPort = (readyServer.address() as AddressInfo).port;
});
afterAll(() => readyServer.close());

/** Resolves once the fake sync with this pid can take signals. */
function ready(pid: unknown): Promise<void> {
  const id = pid as number;
  return readyPids.has(id) ? Promise.resolve() : new Promise((resolve) => readyWaiters.set(id, resolve));
}

/** Runs the fake sync in the given modes, one per run (the last repeats). */
function fakeSync(...modes: string[]): ChildRunner {
  let calls = 0;
  return () => {
    const mode = modes[Math.min(calls++, modes.length - 1)]!;
    return createChildRunner(process.execPath, [FAKE_SYNC, mode], { env: { ...process.env, FAKE_SYNC_READY_PORT: String(readyPort) } })();
  };
}

/** A scheduler whose ticks the test fires, and that records being stopped. */
function manualScheduler() {
  const state = { tick: (): void => undefined, stopped: false };
  const scheduler: Scheduler = (onTick) => {
    state.tick = onTick;
    return { stop: () => void (state.stopped = true), nextRun: () => (state.stopped ? null : new Date(Date.UTC(2026, 10, 26, 3))) };
  };
  return { scheduler, state };
}

describe('daemon', () => {
  it('builds its schedule from the cron expression, read in the given time zone', () => {
    const schedule = cronScheduler({ expression: '0 3 * * *', timezone: 'Europe/Paris' })(() => undefined);
    try {
      const next = schedule.nextRun()!;
      // 03:00 in Paris is 01:00 or 02:00 UTC (summer or winter time), on the next day at most.
      expect([1, 2]).toContain(next.getUTCHours());
      expect([next.getUTCMinutes(), next.getUTCSeconds()]).toEqual([0, 0]);
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(25 * 3_600_000);
    } finally {
      schedule.stop();
    }
    expect(schedule.nextRun()).toBeNull();
  });

  it('skips ticks while a run is in flight, then starts the next one', async () => {
    // Ticks are fired by the test (the cron library's own timing is not under test).
    const log = capturingLogger();
    const { scheduler, state } = manualScheduler();
    const clock = { t: Date.UTC(2026, 10, 26, 3) };
    const daemon = createDaemon({ scheduler, runSync: fakeSync('hold'), logger: log.logger, now: () => clock.t, shutdownTimeoutMs: 10_000 });
    daemon.start();
    state.tick();
    const first = await log.waitFor((l) => l.event === 'run_start' && l.run === 1);
    state.tick();
    expect(log.lines.at(-1)).toMatchObject({ event: 'run_skipped', running: 1, level: 40 });
    await ready(first.child_pid);
    clock.t += 161_000;
    process.kill(first.child_pid as number, 'SIGUSR2');
    const end = await log.waitFor((l) => l.event === 'run_end' && l.run === 1);
    expect(end).toMatchObject({ exit_code: 0, signal: null, duration_ms: 161_000, summary: { run_id: first.child_pid, operations: { tags_add: 3 } } });
    state.tick();
    const second = await log.waitFor((l) => l.event === 'run_start' && l.run === 2);
    await ready(second.child_pid);
    await daemon.stop('SIGTERM');
    expect(log.lines.find((l) => l.event === 'run_end' && l.run === 2)).toMatchObject({ exit_code: 143, level: 30, stopped_by: 'SIGTERM', summary: { stopped_by: 'SIGTERM' } });

    // Never two at once: every start comes after the previous run's end.
    let running = 0;
    for (const line of log.lines) {
      if (line.event === 'run_start') expect(++running).toBe(1);
      if (line.event === 'run_end') running--;
    }
    expect(log.lines.at(-1)).toMatchObject({ event: 'daemon_stop', runs: 2 });
  });

  it('on SIGTERM stops scheduling, forwards the signal to the run in flight and waits for it', async () => {
    const log = capturingLogger();
    const { scheduler, state } = manualScheduler();
    const daemon = createDaemon({ scheduler, runSync: fakeSync('hold'), logger: log.logger, now: Date.now, shutdownTimeoutMs: 60_000 });
    daemon.start();
    expect(log.lines[0]).toMatchObject({ event: 'daemon_start', next_run: '2026-11-26T03:00:00.000Z' });
    state.tick();
    await ready((await log.waitFor((l) => l.event === 'run_start')).child_pid);
    await daemon.stop('SIGTERM');
    expect(state.stopped).toBe(true);
    const events = log.lines.map((l) => l.event);
    expect(events).toEqual(['daemon_start', 'run_start', 'daemon_stopping', 'run_end', 'daemon_stop']);
    expect(log.lines[2]).toMatchObject({ signal: 'SIGTERM', running: 1 });
    // A stop the daemon asked for is a clean stop (info), not a failure.
    expect(log.lines[3]).toMatchObject({ event: 'run_end', level: 30, exit_code: 143, signal: null, stopped_by: 'SIGTERM', summary: { stopped_by: 'SIGTERM' } });
    expect(log.lines[3]!.msg).toBe('run 1 stopped by SIGTERM; the next run resumes it');
    // A tick after stop starts nothing.
    state.tick();
    expect(log.lines.filter((l) => l.event === 'run_start')).toHaveLength(1);
  });

  it('kills a run that ignores the signal once the shutdown bound has passed', async () => {
    const log = capturingLogger();
    const { scheduler, state } = manualScheduler();
    const daemon = createDaemon({ scheduler, runSync: fakeSync('ignore-term'), logger: log.logger, now: Date.now, shutdownTimeoutMs: 200 });
    daemon.start();
    state.tick();
    await ready((await log.waitFor((l) => l.event === 'run_start')).child_pid);
    await daemon.stop('SIGTERM');
    expect(log.lines.map((l) => l.event)).toEqual(['daemon_start', 'run_start', 'daemon_stopping', 'run_killed', 'run_end', 'daemon_stop']);
    expect(log.lines[4]).toMatchObject({ exit_code: null, signal: 'SIGKILL', summary: null, level: 50 });
  });

  it('logs a crashed run with its exit code and keeps scheduling', async () => {
    const log = capturingLogger();
    const { scheduler, state } = manualScheduler();
    const daemon = createDaemon({ scheduler, runSync: fakeSync('crash', 'hold'), logger: log.logger, now: Date.now, shutdownTimeoutMs: 60_000 });
    daemon.start();
    state.tick();
    const crashed = await log.waitFor((l) => l.event === 'run_end' && l.run === 1);
    expect(crashed).toMatchObject({ exit_code: 70, signal: null, summary: null, level: 50 });
    state.tick();
    const second = await log.waitFor((l) => l.event === 'run_start' && l.run === 2);
    await ready(second.child_pid);
    process.kill(second.child_pid as number, 'SIGUSR2');
    expect(await log.waitFor((l) => l.event === 'run_end' && l.run === 2)).toMatchObject({ exit_code: 0 });
    await daemon.stop('SIGINT');
    expect(log.lines.at(-1)).toMatchObject({ event: 'daemon_stop', runs: 2 });
  });

  it('logs a run that cannot start and stays up', async () => {
    const log = capturingLogger();
    const { scheduler, state } = manualScheduler();
    const daemon = createDaemon({
      scheduler,
      runSync: createChildRunner('/nonexistent/tiersync-node', []),
      logger: log.logger,
      now: Date.now,
      shutdownTimeoutMs: 1000,
    });
    daemon.start();
    state.tick();
    const end = await log.waitFor((l) => l.event === 'run_end');
    expect(end).toMatchObject({ exit_code: null, summary: null });
    expect(String(end.error)).toContain('ENOENT');
    await daemon.stop('SIGTERM');
    expect(log.lines.at(-1)).toMatchObject({ event: 'daemon_stop', runs: 1 });
  });
});
