/**
 * `npm run bench`: every benchmark in its own child process (so each peak RSS is its own),
 * printed as one section each. Figures, not assertions: nothing here can fail a build.
 * `npm run bench -- segment sync` runs only the named ones.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Bench = () => Promise<unknown>;

const BENCHES: Record<string, { title: string; run: () => Promise<Bench> }> = {
  segment: { title: 'segment: 1,000,000 customers / ~3,000,000 orders beside the same rules in DuckDB; sync compute phase at 500,000 (issues 2, 16)', run: async () => (await import('./bench-segment.ts')).benchSegment.bind(null, 1_000_000) },
  model: { title: 'predictive model: 500,000-customer BG/NBD + Gamma-Gamma fit (issue 6)', run: async () => (await import('./bench-model.ts')).benchModel.bind(null, 500_000) },
  generate: { title: 'synthetic shop: 1,000,000 customers as bulk JSONL (issue 3)', run: async () => (await import('./bench-generate.ts')).benchGenerate.bind(null, 1_000_000, {}) },
  sandbox: { title: 'Shopify sandbox: requests/s on loopback (issue 3)', run: async () => (await import('./bench-sandbox.ts')).benchSandbox },
  'klaviyo-sandbox': { title: 'Klaviyo sandbox: requests/s on loopback (issue 3)', run: async () => (await import('./bench-klaviyo-sandbox.ts')).benchKlaviyoSandbox },
  shopify: { title: 'Shopify connector: pull rate, tag writes as a share of the bucket, bulk path (issue 4)', run: async () => (await import('./bench-shopify.ts')).benchShopify },
  klaviyo: { title: 'Klaviyo connector and order store (issue 4)', run: async () => (await import('./bench-klaviyo.ts')).benchKlaviyo },
  sync: { title: 'end-to-end sync: 100,000-customer sandbox shop, first and no-change second sync (issue 5)', run: async () => (await import('./bench-sync.ts')).benchSync.bind(null, 100_000, 20) },
  'sync-500k': { title: 'end-to-end sync: 500,000-customer sandbox shop at time scale 50, first and no-change second sync (issue 12)', run: async () => (await import('./bench-sync.ts')).benchSync.bind(null, 500_000, 50) },
};

async function runChild(name: string): Promise<void> {
  const bench = await BENCHES[name]!.run();
  const result = (await bench()) as Record<string, unknown>;
  const figures = { ...result, 'process peak RSS MB': Math.round(process.resourceUsage().maxRSS / 1024) };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function main(names: string[]): Promise<void> {
  for (const name of names) {
    const { title } = BENCHES[name]!;
    process.stdout.write(`\n## ${title}\n`);
    const started = performance.now();
    const output = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', name], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (chunk) => (text += chunk));
      child.on('close', (code) => resolve(code === 0 ? text : `{"error":"exited with code ${code}"}`));
    });
    const last = output.trim().split('\n').at(-1) ?? '{}';
    let figures: Record<string, unknown>;
    try {
      figures = JSON.parse(last) as Record<string, unknown>;
    } catch {
      figures = { error: last };
    }
    for (const [key, value] of Object.entries(figures)) {
      if (key === 'path') continue;
      process.stdout.write(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}\n`);
    }
    process.stdout.write(`  (bench wall time ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') await runChild(args[1]!);
  else {
    const unknown = args.filter((name) => !(name in BENCHES));
    if (unknown.length) {
      process.stderr.write(`unknown bench ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}\n`);
      process.exit(2);
    }
    process.stdout.write(`tiersync benchmarks on ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
    await main(args.length ? args : Object.keys(BENCHES));
  }
}
