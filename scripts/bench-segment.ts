/**
 * Segmentation benchmark (issue 2): a seeded 1,000,000-customer / ~3,000,000-order plain CSV,
 * timed stage by stage in this process (parse, facts, segment, write), then the whole
 * `tiersync segment` command in a child process for its wall time and peak RSS.
 * Run alone: `node --import tsx scripts/bench-segment.ts [customers=1000000]`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../src/config/load-config.ts';
import { createFactsBuilder } from '../src/core/facts.ts';
import { segmentCustomers } from '../src/core/segment.ts';
import { readOrders } from '../src/ingest/read-orders.ts';
import { writeSegments } from '../src/report/write-segments.ts';
import { benchGenerate } from './bench-generate.ts';

const AS_OF = '2026-01-01T00:00:00Z';

export async function benchSegment(customers = 1_000_000): Promise<Record<string, number | string>> {
  const generated = await benchGenerate(customers, { format: 'plain-csv', keep: true });
  const dir = await mkdtemp(join(tmpdir(), 'tiersync-bench-segment-'));
  try {
    const file = generated.path;
    const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

    let started = performance.now();
    let orders = 0;
    await readOrders(file, () => void orders++);
    const parseSeconds = seconds(started);

    const config = parseConfig({}, 'defaults');
    const facts = createFactsBuilder({ asOf: new Date(AS_OF), historyDays: config.history_days, trendWindowDays: config.churn.trend_window_days, improvementWindowDays: config.churn.improvement_window_days });
    started = performance.now();
    await readOrders(file, facts.add);
    const { customers: customerFacts } = facts.finish();
    const parseAndFactsSeconds = seconds(started);

    started = performance.now();
    const segments = segmentCustomers(customerFacts, config);
    const segmentSeconds = seconds(started);

    started = performance.now();
    await writeSegments(segments, 'jsonl', join(dir, 'segments.jsonl'));
    const writeSeconds = seconds(started);

    const command = await timeCommand(['bin/tiersync.js', 'segment', '--orders', file, '--as-of', AS_OF, '--out', join(dir, 'cli.jsonl')]);
    return {
      'file customers': generated.customers,
      'file orders': generated.orders,
      'file MB': Math.round(generated.bytes / 1e6),
      'generate s': Math.round(generated.seconds * 10) / 10,
      'parse s': parseSeconds,
      'facts s (parse+facts − parse)': Math.round((parseAndFactsSeconds - parseSeconds) * 100) / 100,
      'segment s': segmentSeconds,
      'write JSONL s': writeSeconds,
      'parse orders/s': Math.round(orders / parseSeconds),
      'segment command wall s': command.seconds,
      'segment command peak RSS MB': command.peakRssMb,
      'segment command orders/s': Math.round(orders / command.seconds),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(generated.path, { force: true });
  }
}

/** Runs `node <args>` and samples its peak RSS (VmHWM) from /proc while it runs. */
async function timeCommand(args: string[]): Promise<{ seconds: number; peakRssMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let peakKb = 0;
  const sample = setInterval(async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    if (match) peakKb = Math.max(peakKb, Number(match[1]));
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sample);
  if (code !== 0) throw new Error(`${args.join(' ')} failed (${code}): ${stderr}`);
  return { seconds: Math.round((performance.now() - started) / 10) / 100, peakRssMb: Math.round(peakKb / 1024) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchSegment(Number(process.argv[2] ?? 1_000_000));
  for (const [key, value] of Object.entries(result)) process.stdout.write(`${key}: ${value}\n`);
}
