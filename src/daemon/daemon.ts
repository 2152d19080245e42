import type { Logger } from 'pino';
import { InternalError, signalExitCode, type StopSignal } from '../errors.ts';
import type { ChildResult, ChildRunner, RunningChild } from './child-run.ts';
import type { Schedule, Scheduler } from './cron-schedule.ts';
import { parseSyncSummary } from './sync-summary.ts';

export interface DaemonDeps {
  readonly scheduler: Scheduler;
  /** Starts one `sync` as a child process (a crash there cannot take the daemon down). */
  readonly runSync: ChildRunner;
  readonly logger: Logger;
  readonly now: () => number;
  /** How long `stop` waits for the run in flight after forwarding the signal, before SIGKILL. */
  readonly shutdownTimeoutMs: number;
  /** Extra fields for the start line, e.g. the cron expression. */
  readonly describe?: Record<string, unknown>;
}

interface InFlight {
  readonly run: number;
  readonly child: RunningChild;
  /** Settles once the run's end is logged. */
  readonly finished: Promise<void>;
}

/**
 * The built-in schedule (issue 7): on every tick, start a `sync` child unless one is still
 * running (the tick is skipped and logged: never two runs at once from this daemon; the
 * store's lock guards against other processes). Every run is logged as JSON lines: start,
 * end with exit code, duration and the run's JSON summary. `stop` stops scheduling, forwards
 * the signal to the run in flight (sync keeps its journal, so a stopped run resumes next
 * time) and waits for it, at most `shutdownTimeoutMs`, then kills it.
 *
 * @example
 * const daemon = createDaemon({ scheduler: cronScheduler({ expression: '0 3 * * *' }), runSync, logger: pino(),
 *   now: Date.now, shutdownTimeoutMs: 120_000 });
 * daemon.start();
 * process.once('SIGTERM', () => void daemon.stop('SIGTERM'));
 */
export function createDaemon(deps: DaemonDeps) {
  const { logger, now } = deps;
  let schedule: Schedule | null = null;
  let inFlight: InFlight | null = null;
  let runs = 0;
  let stopping: Promise<void> | null = null;
  /** The signal `stop` forwarded: a run ending by it stopped as asked, it did not fail. */
  let forwarded: StopSignal | null = null;

  function startRun(): void {
    const run = ++runs;
    const startedAt = now();
    const child = deps.runSync();
    logger.info({ event: 'run_start', run, child_pid: child.pid }, `run ${run} started`);
    const finished = child.done.then((result) => {
      logEnd(run, result, now() - startedAt);
      inFlight = null;
    });
    inFlight = { run, child, finished };
  }

  function tick(): void {
    if (stopping) return;
    if (inFlight) {
      logger.warn({ event: 'run_skipped', running: inFlight.run, child_pid: inFlight.child.pid }, `tick skipped: run ${inFlight.run} is still running`);
      return;
    }
    startRun();
  }

  function logEnd(run: number, result: ChildResult, durationMs: number): void {
    const fields = {
      event: 'run_end',
      run,
      exit_code: result.exitCode,
      signal: result.signal,
      duration_ms: durationMs,
      summary: parseSyncSummary(result.stdout),
      ...(result.error ? { error: result.error.message } : {}),
    };
    const stoppedAsAsked = forwarded !== null && (result.signal === forwarded || result.exitCode === signalExitCode(forwarded));
    if (result.exitCode === 0) logger.info(fields, `run ${run} finished`);
    else if (stoppedAsAsked) logger.info({ ...fields, stopped_by: forwarded }, `run ${run} stopped by ${forwarded}; the next run resumes it`);
    else logger.error(fields, `run ${run} failed (${result.error ? result.error.message : result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`})`);
  }

  return {
    /** Starts scheduling and logs when the first run is due. */
    start(): void {
      if (schedule || stopping) throw new InternalError('daemon: already started');
      schedule = deps.scheduler(tick);
      logger.info({ event: 'daemon_start', ...deps.describe, next_run: schedule.nextRun()?.toISOString() ?? null }, 'daemon started');
    },

    /** One schedule tick: starts a run, or skips while one is in flight. */
    tick,

    /** Stops scheduling and lets the run in flight end (bounded); idempotent. */
    stop(signal: StopSignal): Promise<void> {
      stopping ??= (async () => {
        schedule?.stop();
        const current = inFlight;
        logger.info({ event: 'daemon_stopping', signal, running: current?.run ?? null }, `received ${signal}, stopping`);
        if (current) {
          forwarded = signal;
          current.child.kill(signal);
          let timer: NodeJS.Timeout | undefined;
          const timedOut = await Promise.race([
            current.finished.then(() => false),
            new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), deps.shutdownTimeoutMs))),
          ]);
          clearTimeout(timer);
          if (timedOut) {
            logger.error({ event: 'run_killed', run: current.run, waited_ms: deps.shutdownTimeoutMs }, `run ${current.run} did not stop in time; killing it`);
            current.child.kill('SIGKILL');
            await current.finished;
          }
        }
        logger.info({ event: 'daemon_stop', runs }, 'daemon stopped');
      })();
      return stopping;
    },
  };
}
