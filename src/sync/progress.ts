import cliProgress from 'cli-progress';

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

/** Progress that shows nothing (tests, `--json`). */
export const silentProgress: Progress = {
  phase: () => ({ setTotal() {}, tick() {}, done() {} }),
  log() {},
  stop() {},
};

/**
 * Bars with counts, rate and ETA on a terminal (cli-progress); plain timestamped lines
 * otherwise (cron, CI, a pipe), one when a phase starts, every 10 s while it runs, and one
 * when it ends.
 *
 * @example
 * const progress = createProgress(process.stderr, Date.now);
 * const pull = progress.phase('pull orders');
 * pull.tick(250);
 * pull.done();
 */
export function createProgress(stream: NodeJS.WriteStream, now: () => number): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream, now);
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
      const started = Date.now();
      let value = 0;
      const bar = bars.create(total ?? 0, 0, { phase: name.padEnd(20), rate: 0, note: '' });
      const rate = () => Math.round(value / Math.max(0.001, (Date.now() - started) / 1000));
      return {
        setTotal: (n) => bar.setTotal(n),
        tick(count = 1) {
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

function lineProgress(stream: NodeJS.WriteStream, now: () => number): Progress {
  const write = (message: string) => stream.write(`${new Date(now()).toISOString()} ${message}\n`);
  return {
    phase(name, total) {
      const started = now();
      let value = 0;
      let expected = total;
      let lastLine = started;
      write(`${name}: started${expected ? ` (${expected})` : ''}`);
      const rate = () => Math.round(value / Math.max(0.001, (now() - started) / 1000));
      return {
        setTotal: (n) => void (expected = n),
        tick(count = 1) {
          value += count;
          if (now() - lastLine >= 10_000) {
            lastLine = now();
            write(`${name}: ${value}${expected ? `/${expected}` : ''} (${rate()}/s)`);
          }
        },
        done(note) {
          write(`${name}: done, ${value} in ${((now() - started) / 1000).toFixed(1)} s${note ? `; ${note}` : ''}`);
        },
      };
    },
    log: write,
    stop() {},
  };
}
