/**
 * Generation benchmark: writes a seeded synthetic shop to a temp file and reports the time.
 * Run alone: `node --import tsx scripts/bench-generate.ts [customers=1000000] [format=bulk-jsonl]`.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { generateShop } from '../src/synth/generate-shop.ts';
import { ORDER_FILE_FORMATS, type OrderFileFormat } from '../src/synth/writers/record-formatter.ts';
import { writeShop } from '../src/synth/writers/write-shop.ts';

export interface BenchGenerateResult {
  format: OrderFileFormat;
  customers: number;
  orders: number;
  lineItems: number;
  bytes: number;
  seconds: number;
  /** CPU time (user + system) this process spent, which shared machines distort less than wall time. */
  cpuSeconds: number;
  /** Peak resident set size of this process so far, in MB. */
  peakRssMb: number;
  /** The file written; removed again unless `keep` was set. */
  path: string;
}

/** The fixed point the benchmark shop ends at, so every run writes the same file. */
const BENCH_AS_OF = new Date('2026-01-01T00:00:00Z');
const BENCH_SEED = 20_260_101;

/**
 * Generates `customers` customers (about three orders each) into a temp file and times it.
 *
 * @example
 * const { seconds, orders } = await benchGenerate(1_000_000);
 */
export async function benchGenerate(
  customers: number,
  options: { format?: OrderFileFormat; keep?: boolean } = {},
): Promise<BenchGenerateResult> {
  const format = options.format ?? 'bulk-jsonl';
  const directory = await mkdtemp(join(tmpdir(), 'tiersync-bench-'));
  const path = join(directory, format === 'bulk-jsonl' ? 'orders.jsonl' : 'orders.csv');
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const out = createWriteStream(path);
  await once(out, 'open');
  const summary = await writeShop(generateShop({ seed: BENCH_SEED, customers, asOf: BENCH_AS_OF }), out, format);
  out.end();
  await finished(out);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  if (!options.keep) await rm(directory, { recursive: true, force: true });
  return {
    format,
    customers: summary.customers,
    orders: summary.orders,
    lineItems: summary.lineItems,
    bytes: summary.bytes,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    path,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const customers = Number(process.argv[2] ?? 1_000_000);
  const format = (process.argv[3] ?? 'bulk-jsonl') as OrderFileFormat;
  if (!Number.isInteger(customers) || customers < 1 || !ORDER_FILE_FORMATS.includes(format)) {
    process.stderr.write(`usage: bench-generate.ts [customers ≥ 1] [${ORDER_FILE_FORMATS.join('|')}]\n`);
    process.exit(2);
  }
  const result = await benchGenerate(customers, { format });
  process.stdout.write(
    `${result.format}: ${result.customers} customers, ${result.orders} orders, ${result.lineItems} line items ` +
      `in ${result.seconds.toFixed(1)} s (CPU ${result.cpuSeconds.toFixed(1)} s; ${Math.round(result.orders / result.seconds)} orders/s), ` +
      `${(result.bytes / 1e6).toFixed(0)} MB, peak RSS ${result.peakRssMb} MB\n`,
  );
}
