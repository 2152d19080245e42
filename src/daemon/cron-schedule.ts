import { Cron } from 'croner';
import { UserError } from '../errors.ts';

/** A running schedule: calls its tick function at every cron time until stopped. */
export interface Schedule {
  stop(): void;
  /** The next tick, or null once stopped. */
  nextRun(): Date | null;
}

/** Starts calling `onTick` on a schedule. */
export type Scheduler = (onTick: () => void) => Schedule;

export interface CronOptions {
  readonly expression: string;
  /** IANA time zone the expression is read in (default: the system's). */
  readonly timezone?: string;
}

/**
 * Checks a cron expression with croner: 5 fields (minute hour day month weekday), 6 with
 * leading seconds, or a nickname such as `@daily`; it must repeat. A bad one is a UserError
 * naming it.
 *
 * @example
 * validateCron({ expression: '0 3 * * *' }); // ok
 * validateCron({ expression: '61 * * * *' }); // UserError: --cron "61 * * * *": ...
 */
export function validateCron(options: CronOptions): void {
  let job: Cron | undefined;
  try {
    job = new Cron(options.expression, { paused: true, mode: '5-or-6-parts', ...(options.timezone ? { timezone: options.timezone } : {}) });
    if (job.nextRuns(2).length < 2) throw new Error('it does not repeat; give a recurring schedule such as "0 3 * * *"');
  } catch (error) {
    const where = options.timezone ? ` (time zone ${options.timezone})` : '';
    throw new UserError(`--cron "${options.expression}"${where}: ${(error as Error).message}`, 2, { cause: error });
  } finally {
    job?.stop();
  }
}

/**
 * A croner-backed {@link Scheduler}. Validate the expression first ({@link validateCron}).
 *
 * @example
 * const schedule = cronScheduler({ expression: '0 3 * * *' })(() => daemon.tick());
 */
export function cronScheduler(options: CronOptions): Scheduler {
  return (onTick) => {
    const job = new Cron(options.expression, { mode: '5-or-6-parts', ...(options.timezone ? { timezone: options.timezone } : {}) }, () => onTick());
    return {
      stop: () => job.stop(),
      nextRun: () => job.nextRun(),
    };
  };
}
