import { join } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { z } from 'zod';
import { createChildRunner } from '../daemon/child-run.ts';
import { cronScheduler, validateCron } from '../daemon/cron-schedule.ts';
import { createDaemon } from '../daemon/daemon.ts';
import type { StopSignal } from '../errors.ts';
import { parseOptions } from './parse-options.ts';

const BIN = join(import.meta.dirname, '../../bin/tiersync.js');

const optionsSchema = z.object({
  cron: z.string().min(1),
  timezone: z.string().min(1).optional(),
  config: z.string().optional(),
  store: z.string().optional(),
  shutdownTimeout: z.coerce.number().int().min(1, 'must be at least 1 second').max(86_400),
});

/**
 * `tiersync daemon [--cron "0 3 * * *"] [--timezone ZONE] [--config FILE] [--store FILE] [--shutdown-timeout SECONDS]`
 *
 * @example
 * registerDaemon(program); // then: tiersync daemon --cron "0 3 * * *" >> daemon.log
 */
export function registerDaemon(program: Command): void {
  program
    .command('daemon')
    .description('run `tiersync sync` on a cron schedule, one run at a time, logging each run as JSON lines on stdout')
    .option('--cron <expression>', 'when to sync: 5 fields (minute hour day month weekday), 6 with leading seconds, or @daily', '0 3 * * *')
    .option('--timezone <zone>', 'IANA time zone the schedule is read in (default: the system\'s)')
    .option('--config <file>', 'config file passed to each sync')
    .option('--store <file>', 'order store passed to each sync')
    .option('--shutdown-timeout <seconds>', 'on SIGINT/SIGTERM, how long to wait for the run in flight before killing it', '120')
    .action(async (raw: unknown) => {
      await runDaemon(parseOptions(optionsSchema, raw));
    });
}

async function runDaemon(options: z.output<typeof optionsSchema>): Promise<void> {
  const schedule = { expression: options.cron, ...(options.timezone ? { timezone: options.timezone } : {}) };
  validateCron(schedule);
  const syncArgs = ['sync', '--json', ...(options.config ? ['--config', options.config] : []), ...(options.store ? ['--store', options.store] : [])];
  // Synchronous writes: the last lines (daemon_stop) must reach the log before the process exits.
  const logger = pino({ name: 'tiersync-daemon' }, pino.destination({ dest: 1, sync: true }));
  const daemon = createDaemon({
    scheduler: cronScheduler(schedule),
    runSync: createChildRunner(process.execPath, [BIN, ...syncArgs]),
    logger,
    now: Date.now,
    shutdownTimeoutMs: options.shutdownTimeout * 1000,
    describe: { cron: options.cron, timezone: options.timezone ?? null, command: `tiersync ${syncArgs.join(' ')}` },
  });
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: StopSignal) => void daemon.stop(signal).then(resolve);
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  });
  daemon.start();
  await stopped;
}
