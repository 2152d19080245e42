import cliProgress from 'cli-progress';
import pino from 'pino';

/** One phase of a run (pull, compute, a write phase): counts, rate and ETA. */
export interface PhaseProgress {
  setTotal(total: number): void;
  tick(count?: number): void;
  done(note?: string): void;
}

export interface Progress {
  phase(name: string, total?: number): PhaseProgress;
  log(message: string): void;
  stop(): void;
}

/** Progress that shows nothing (tests, benches). */
export const silentProgress: Progress = {
  phase: () => ({ setTotal() {}, tick() {}, done() {} }),
  log() {},
  stop() {},
};

/** A line every this often while a phase runs, even when nothing ticks (waiting on an export). */
export const PROGRESS_LINE_MS = 10_000;

export interface ProgressOptions {
  /** JSON lines (pino) instead of text lines; never bars. */
  readonly json?: boolean;
  /**
   * Calls `fn` every `ms` until the returned function is called: what makes a quiet phase still
   * report every 10 s. Default: an unref'd setInterval (tests pass their own and drive it).
   */
  readonly every?: (fn: () => void, ms: number) => () => void;
}

/**
 * Bars with counts, rate and ETA on a terminal (cli-progress); lines on stderr otherwise (cron,
 * CI, a pipe), or pino JSON lines with `json`: one when a phase starts, at least every 10 s
 * while it runs (by `now`, the injected clock), and one when it ends, with the count, the
 * total when known, the rate and the ETA.
 *
 * @example
 * const progress = createProgress(process.stderr, Date.now, { json: true });
 * const pull = progress.phase('pull orders');
 * pull.tick(250);
 * pull.done();
 */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, now: () => number, options: ProgressOptions = {}): Progress {
  if (stream.isTTY && !options.json) return barProgress(stream as NodeJS.WriteStream);
  const every = options.every ?? ((fn, ms) => {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  });
  return lineProgress(options.json ? jsonWriter(stream, now) : textWriter(stream, now), now, every);
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: ' {phase} |{bar}| {value}/{total} {rate}/s eta {eta_formatted} {note}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    phase(name, total) {
      let countingSince: number | null = null;
      let value = 0;
      const bar = bars.create(total ?? 0, 0, { phase: name.padEnd(20), rate: 0, note: '' });
      // From the first tick, as in the lines below.
      const rate = () => (countingSince === null ? 0 : Math.round(value / Math.max(0.001, (Date.now() - countingSince) / 1000)));
      return {
        setTotal: (n) => bar.setTotal(n),
        tick(count = 1) {
          countingSince ??= Date.now();
          value += count;
          if (value > bar.getTotal()) bar.setTotal(value);
          bar.update(value, { rate: rate() });
        },
        done(note = '') {
          bar.setTotal(Math.max(value, bar.getTotal()));
          bar.update(bar.getTotal(), { rate: rate(), note });
        },
      };
    },
    log: (message) => bars.log(`${message}\n`),
    stop: () => bars.stop(),
  };
}

/** What one progress line says. */
interface ProgressLine {
  readonly phase: string;
  readonly event: 'start' | 'progress' | 'done';
  readonly count: number;
  readonly total: number | null;
  /**
   * Per second since the phase's first tick: a phase that waits before it counts (the order pull
   * waits for its bulk export) would otherwise show a rate, and an ETA, diluted by the wait.
   */
  readonly rate: number;
  readonly etaSeconds: number | null;
  readonly seconds: number;
  readonly note: string | null;
}

interface LineWriter {
  line(line: ProgressLine): void;
  message(text: string): void;
}

function textWriter(stream: NodeJS.WritableStream, now: () => number): LineWriter {
  const write = (text: string) => stream.write(`${new Date(now()).toISOString()} ${text}\n`);
  return {
    line(l) {
      const of = l.total !== null ? `/${l.total}` : '';
      if (l.event === 'start') write(`${l.phase}: started${l.total !== null ? ` (${l.total})` : ''}`);
      else if (l.event === 'done') write(`${l.phase}: done, ${l.count} in ${l.seconds.toFixed(1)} s${l.note ? `; ${l.note}` : ''}`);
      else write(`${l.phase}: ${l.count}${of} (${l.rate}/s${l.etaSeconds !== null ? `, eta ${l.etaSeconds} s` : ''})`);
    },
    message: write,
  };
}

function jsonWriter(stream: NodeJS.WritableStream, now: () => number): LineWriter {
  const logger = pino({ base: null, timestamp: () => `,"time":${now()}` }, stream);
  return {
    line(l) {
      logger.info(
        { phase: l.phase, event: l.event, count: l.count, total: l.total, rate: l.rate, eta_s: l.etaSeconds, seconds: Number(l.seconds.toFixed(1)), note: l.note },
        `${l.phase}: ${l.event}`,
      );
    },
    message: (text) => logger.warn(text),
  };
}

function lineProgress(writer: LineWriter, now: () => number, every: NonNullable<ProgressOptions['every']>): Progress {
  const running = new Set<() => void>();
  const stopHeartbeat = every(() => {
    for (const beat of running) beat();
  }, 1000);
  return {
    phase(name, total) {
      const started = now();
      let value = 0;
      let expected = total ?? null;
      let lastLine = started;
      let countingSince: number | null = null;
      const line = (event: ProgressLine['event'], note: string | null = null) => {
        const seconds = (now() - started) / 1000;
        const countingSeconds = countingSince === null ? 0 : (now() - countingSince) / 1000;
        const rate = Math.round(value / Math.max(0.001, countingSeconds));
        const etaSeconds = expected !== null && rate > 0 && event === 'progress' ? Math.max(0, Math.round((expected - value) / rate)) : null;
        writer.line({ phase: name, event, count: value, total: expected, rate, etaSeconds, seconds, note });
      };
      const beat = () => {
        if (now() - lastLine < PROGRESS_LINE_MS) return;
        lastLine = now();
        line('progress');
      };
      line('start');
      running.add(beat);
      return {
        setTotal: (n) => void (expected = n),
        tick(count = 1) {
          countingSince ??= now();
          value += count;
          beat();
        },
        done(note) {
          running.delete(beat);
          line('done', note ?? null);
        },
      };
    },
    log: (message) => writer.message(message),
    stop: () => stopHeartbeat(),
  };
}
