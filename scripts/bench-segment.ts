/**
 * Segmentation benchmark (issues 2 and 16): `tiersync segment` on a seeded 1,000,000-customer /
 * ~3,000,000-order plain CSV beside the same rules as one DuckDB query (segment-reference.sql,
 * DuckDB from the @duckdb/node-api dev dependency), each a child process timed for wall time
 * and peak RSS, measured in this one run, alternating twice: DuckDB, `tiersync segment` with
 * predictions off (the SQL's rules), `tiersync segment` with the default config (which also
 * fits the predictive model, which the SQL does not do); best of two each, first as ratios to
 * DuckDB with both peak RSS. The same-rules output is compared with DuckDB's row by row. Last, the sync's
 * compute phase (orders read from the order store, segmented) at 500,000 customers.
 * Run alone: `node --import tsx scripts/bench-segment.ts [customers=1000000] [syncCustomers=500000]`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseConfig } from '../src/config/load-config.ts';
import { createSegmentationRun } from '../src/core/run-segmentation.ts';
import { readOrders } from '../src/ingest/read-orders.ts';
import { SEGMENT_COLUMNS } from '../src/report/segment-row.ts';
import { openStore } from '../src/store/open-store.ts';
import type { StoredOrder } from '../src/store/orders.ts';
import { benchGenerate } from './bench-generate.ts';

const AS_OF = '2026-01-01T00:00:00Z';
const BIN = fileURLToPath(new URL('../bin/tiersync.js', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const REFERENCE_SQL = fileURLToPath(new URL('./segment-reference.sql', import.meta.url));

interface Timed {
  seconds: number;
  /** User + system CPU seconds, all threads: what a loaded machine distorts less than wall time. */
  cpuSeconds: number;
  peakRssMb: number;
}

export async function benchSegment(customers = 1_000_000, syncCustomers = 500_000): Promise<Record<string, number | string>> {
  const generated = await benchGenerate(customers, { format: 'plain-csv', keep: true });
  const dir = await mkdtemp(join(tmpdir(), 'tiersync-bench-segment-'));
  try {
    const file = generated.path;
    const sameRules = join(dir, 'predictions-off.json');
    await writeFile(sameRules, JSON.stringify({ predictions: { enabled: false } }));
    const duckdbOut = join(dir, 'duckdb.csv');
    const tiersyncOut = join(dir, 'tiersync.csv');
    const duckdb = () => timeCommand(['--import', 'tsx', SELF, '--duckdb-reference', file, duckdbOut]);
    const tiersync = () => timeCommand([BIN, 'segment', '--orders', file, '--as-of', AS_OF, '--config', sameRules, '--out', tiersyncOut]);
    const withModel = () => timeCommand([BIN, 'segment', '--orders', file, '--as-of', AS_OF, '--out', join(dir, 'default.csv')]);
    // Alternating, so that a change in the machine's load falls on all three alike.
    const duckdbRuns: Timed[] = [];
    const tiersyncRuns: Timed[] = [];
    const withModelRuns: Timed[] = [];
    for (let round = 0; round < 2; round++) {
      duckdbRuns.push(await duckdb());
      tiersyncRuns.push(await tiersync());
      withModelRuns.push(await withModel());
    }
    const duckdbBest = best(duckdbRuns);
    const tiersyncBest = best(tiersyncRuns);
    const withModelBest = best(withModelRuns);
    const agreement = await compareOutputs(tiersyncOut, duckdbOut);
    await rm(file, { force: true });
    const compute = await benchSyncCompute(syncCustomers, dir);
    const perSecond = (seconds: number) => Math.round(generated.orders / seconds);
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const verdict = (run: Timed) =>
      `${ratio(run.seconds, duckdbBest.seconds)}× DuckDB's wall time, ${run.peakRssMb} MB peak RSS beside DuckDB's ${duckdbBest.peakRssMb} MB ` +
      `(goal ≤ 2× and ≤ 1024 MB: ${run.seconds <= 2 * duckdbBest.seconds && run.peakRssMb <= 1024 ? 'met' : 'not met'})`;
    return {
      'file customers': generated.customers,
      'file orders': generated.orders,
      'file MB': Math.round(generated.bytes / 1e6),
      'segment, default config (model fitted) vs DuckDB': verdict(withModelBest),
      'segment, predictions off (the same rules as the SQL) vs DuckDB': verdict(tiersyncBest),
      'DuckDB query wall s (best of 2)': duckdbBest.seconds,
      'DuckDB query CPU s (its threads summed)': duckdbBest.cpuSeconds,
      'DuckDB query peak RSS MB': duckdbBest.peakRssMb,
      'DuckDB orders/s': perSecond(duckdbBest.seconds),
      'segment wall s, default config (model fitted too; best of 2)': withModelBest.seconds,
      'segment CPU s, default config': withModelBest.cpuSeconds,
      'segment peak RSS MB, default config': withModelBest.peakRssMb,
      'segment orders/s, default config': perSecond(withModelBest.seconds),
      'segment ÷ DuckDB wall time, default config': ratio(withModelBest.seconds, duckdbBest.seconds),
      'segment ÷ DuckDB CPU time, default config': ratio(withModelBest.cpuSeconds, duckdbBest.cpuSeconds),
      'segment wall s, same rules (predictions off; best of 2)': tiersyncBest.seconds,
      'segment CPU s, same rules': tiersyncBest.cpuSeconds,
      'segment peak RSS MB, same rules': tiersyncBest.peakRssMb,
      'segment orders/s, same rules': perSecond(tiersyncBest.seconds),
      'segment ÷ DuckDB wall time, same rules': ratio(tiersyncBest.seconds, duckdbBest.seconds),
      'segment ÷ DuckDB CPU time, same rules': ratio(tiersyncBest.cpuSeconds, duckdbBest.cpuSeconds),
      'runs (wall s, alternating)': `DuckDB ${duckdbRuns.map((r) => r.seconds).join(', ')}; same rules ${tiersyncRuns.map((r) => r.seconds).join(', ')}; default ${withModelRuns.map((r) => r.seconds).join(', ')}`,
      'machine load average at the end (1 min)': loadavg()[0]!.toFixed(1),
      'rows identical to DuckDB (every column)': agreement,
      [`sync compute phase, ${syncCustomers} customers (${compute.orders} orders from the store), s`]: compute.seconds,
      'sync compute phase orders/s': Math.round(compute.orders / compute.seconds),
      'sync compute phase heap after, MB': compute.heapMb,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(generated.path, { force: true });
  }
}

function best(runs: readonly Timed[]): Timed {
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

/**
 * Runs `node <args>`, sampling its peak RSS (VmHWM) and CPU time (utime + stime, in the
 * kernel's 100 Hz ticks) from /proc every 50 ms while it runs.
 */
async function timeCommand(args: string[]): Promise<Timed> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let peakKb = 0;
  let cpuTicks = 0;
  const sample = setInterval(async () => {
    const [status, stat] = await Promise.all([
      readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => ''),
      readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => ''),
    ]);
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    if (match) peakKb = Math.max(peakKb, Number(match[1]));
    // Fields 14 and 15 (utime, stime), counted after the parenthesised command name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length > 13) cpuTicks = Math.max(cpuTicks, Number(fields[11]) + Number(fields[12]));
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sample);
  if (code !== 0) throw new Error(`${args.join(' ')} failed (${code}): ${stderr}`);
  return { seconds: Math.round((performance.now() - started) / 10) / 100, cpuSeconds: cpuTicks / 100, peakRssMb: Math.round(peakKb / 1024) };
}

/** The child process of the DuckDB side: the reference query, CSV out. */
async function runDuckdbReference(orders: string, out: string): Promise<void> {
  const sql = (await readFile(REFERENCE_SQL, 'utf8'))
    .replaceAll('{{orders}}', orders.replaceAll("'", "''"))
    .replaceAll('{{out}}', out.replaceAll("'", "''"))
    .replaceAll('{{as_of_ms}}', String(Date.parse(AS_OF)));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}

/**
 * Share of customers whose row is the same in both outputs on every column (numbers compared
 * as numbers: DuckDB writes 4664.0 where tiersync writes 4664), with the columns that differ.
 */
async function compareOutputs(tiersyncCsv: string, duckdbCsv: string): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(
      'CREATE MACRO same(x, y) AS x IS NOT DISTINCT FROM y OR coalesce(abs(TRY_CAST(x AS DOUBLE) - TRY_CAST(y AS DOUBLE)) < 1e-9, false)',
    );
    const read = (path: string) => `read_csv('${path.replaceAll("'", "''")}', header = true, all_varchar = true)`;
    const columns = SEGMENT_COLUMNS.filter((column) => column !== 'customer_id');
    const perColumn = columns.map((column) => `sum(CASE WHEN same(t."${column}", d."${column}") THEN 0 ELSE 1 END) AS "${column}"`);
    const allSame = columns.map((column) => `same(t."${column}", d."${column}")`).join(' AND ');
    const result = await connection.run(
      `SELECT count(*) AS customers, sum(CASE WHEN t.customer_id IS NOT NULL AND d.customer_id IS NOT NULL AND ${allSame} THEN 1 ELSE 0 END) AS identical, ${perColumn.join(', ')}
       FROM ${read(tiersyncCsv)} t FULL JOIN ${read(duckdbCsv)} d ON t.customer_id = d.customer_id`,
    );
    const [row] = (await result.getRowObjectsJS()) as Record<string, bigint | number>[];
    const total = Number(row!.customers);
    const identical = Number(row!.identical);
    const differing = columns.filter((column) => Number(row![column]) > 0).map((column) => `${column} ${Number(row![column])}`);
    return `${identical} of ${total} (${((100 * identical) / total).toFixed(3)}%)${differing.length ? `; differing: ${differing.join(', ')}` : ''}`;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * The sync's compute phase as run-sync.ts runs it: every stored order through
 * createSegmentationRun (default config, model fitted), from an order store filled beforehand.
 */
async function benchSyncCompute(customers: number, dir: string): Promise<{ seconds: number; orders: number; heapMb: number }> {
  const generated = await benchGenerate(customers, { format: 'plain-csv', keep: true });
  const store = openStore(join(dir, 'compute.db'));
  try {
    let batch: StoredOrder[] = [];
    await readOrders(generated.path, (order) => {
      batch.push({ ...order, updatedAt: order.processedAt });
      if (batch.length === 10_000) {
        store.orders.upsertOrders(batch);
        batch = [];
      }
    });
    store.orders.upsertOrders(batch);
    await rm(generated.path, { force: true });
    (globalThis as { gc?: () => void }).gc?.();
    const started = performance.now();
    const run = createSegmentationRun(parseConfig({}, 'defaults'), new Date(AS_OF));
    let orders = 0;
    for (const order of store.orders.iterateOrders()) {
      run.add(order);
      orders++;
    }
    const segments = run.finishColumns().segments.inPlainIdOrder();
    const seconds = Math.round((performance.now() - started) / 10) / 100;
    const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
    if (segments.length === 0) throw new Error('the compute phase segmented no customer');
    return { seconds, orders, heapMb };
  } finally {
    store.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--duckdb-reference') await runDuckdbReference(process.argv[3]!, process.argv[4]!);
  else {
    const result = await benchSegment(Number(process.argv[2] ?? 1_000_000), Number(process.argv[3] ?? 500_000));
    for (const [key, value] of Object.entries(result)) process.stdout.write(`${key}: ${value}\n`);
  }
}
