import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/tiersync.js');

async function tiersync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('tiersync generate', () => {
  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tiersync-generate-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes the same file twice for the same seed and prints a one-line summary', async () => {
    const first = join(directory, 'a.jsonl');
    const second = join(directory, 'b.jsonl');
    const common = ['generate', '--customers', '200', '--seed', '42', '--as-of', '2026-01-01'];
    const [a, b] = await Promise.all([tiersync([...common, '--out', first]), tiersync([...common, '--out', second])]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const text = await readFile(first, 'utf8');
    expect(await readFile(second, 'utf8')).toBe(text);
    expect(text.split('\n')[0]).toMatch(/^\{"id":"gid:\/\/shopify\/Order\/\d+"/);
    const orders = text.split('\n').filter((line) => line.startsWith('{"id":"gid://shopify/Order/')).length;
    expect(a.stderr).toMatch(new RegExp(`^generated 200 customers, ${orders} orders \\(\\d+ guest\\), \\d+ line items in [\\d.]+ s: [\\d.]+ MB bulk-jsonl to .*a\\.jsonl\\n$`));
  });

  it('writes a JPY plain CSV to stdout with whole-yen totals', async () => {
    const result = await tiersync(['generate', '--customers', '50', '--as-of', '2026-01-01', '--currency', 'JPY', '--format', 'plain-csv']);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(header).toBe('order_id,customer_id,email,processed_at,total,currency,cancelled,test,product_type');
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.every((row) => /,\d+,JPY,/.test(row))).toBe(true);
  });

  it('rejects bad options with the flag and what is allowed, exit code 2', async () => {
    const result = await tiersync(['generate', '--customers', 'many', '--as-of', '2026-13-45', '--format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--customers');
    expect(result.stderr).toContain('--as-of');
    expect(result.stderr).toMatch(/--format.*plain-csv.*shopify-csv.*bulk-jsonl/);
  });

  it('says which file it cannot write', async () => {
    const result = await tiersync(['generate', '--as-of', '2026-01-01', '--out', join(directory, 'missing', 'x.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tiersync: cannot write .*missing\/x\.csv: ENOENT/);
  });
});
