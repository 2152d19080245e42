import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/sync/progress.ts';

/** A clock the test moves, and the heartbeat the progress registers, fired by hand. */
function harness(json: boolean) {
  let time = Date.UTC(2026, 11, 1, 3, 0, 0);
  const beats: (() => void)[] = [];
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const progress = createProgress(stream, () => time, { json, every: (fn) => (beats.push(fn), () => beats.splice(0)) });
  const advance = (ms: number) => {
    time += ms;
    for (const beat of beats) beat();
  };
  return { progress, lines, advance };
}

describe('progress lines (no terminal)', () => {
  it('say when a phase starts, every 10 s while it runs even without ticks, with rate and ETA, and when it ends', () => {
    const { progress, lines, advance } = harness(false);
    const phase = progress.phase('pull orders', 1000);
    phase.tick(100);
    advance(9_000);
    phase.tick(100);
    advance(1_000);
    advance(10_000);
    phase.done('bulk export');
    expect(lines).toEqual([
      '2026-12-01T03:00:00.000Z pull orders: started (1000)',
      '2026-12-01T03:00:10.000Z pull orders: 200/1000 (20/s, eta 40 s)',
      '2026-12-01T03:00:20.000Z pull orders: 200/1000 (10/s, eta 80 s)',
      '2026-12-01T03:00:20.000Z pull orders: done, 200 in 20.0 s; bulk export',
    ]);
  });

  it('count the rate and ETA from the first tick, not from a wait before it (the pull waits for its export)', () => {
    const { progress, lines, advance } = harness(false);
    const phase = progress.phase('pull orders', 3000);
    advance(100_000);
    phase.tick(500);
    advance(10_000);
    phase.tick(500);
    advance(10_000);
    expect(lines).toEqual([
      '2026-12-01T03:00:00.000Z pull orders: started (3000)',
      '2026-12-01T03:01:40.000Z pull orders: 0/3000 (0/s)',
      '2026-12-01T03:01:50.000Z pull orders: 500/3000 (50/s, eta 50 s)',
      '2026-12-01T03:02:00.000Z pull orders: 1000/3000 (50/s, eta 40 s)',
    ]);
  });

  it('are pino JSON lines with --json, timed by the injected clock', () => {
    const { progress, lines, advance } = harness(true);
    const phase = progress.phase('read customers');
    phase.tick(500);
    advance(10_000);
    phase.done();
    progress.stop();
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { level: 30, time: Date.UTC(2026, 11, 1, 3, 0, 0), phase: 'read customers', event: 'start', count: 0, total: null, rate: 0, eta_s: null, seconds: 0, note: null, msg: 'read customers: start' },
      { level: 30, time: Date.UTC(2026, 11, 1, 3, 0, 10), phase: 'read customers', event: 'progress', count: 500, total: null, rate: 50, eta_s: null, seconds: 10, note: null, msg: 'read customers: progress' },
      { level: 30, time: Date.UTC(2026, 11, 1, 3, 0, 10), phase: 'read customers', event: 'done', count: 500, total: null, rate: 50, eta_s: null, seconds: 10, note: null, msg: 'read customers: done' },
    ]);
  });
});
