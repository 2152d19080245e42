import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const BIN = join(import.meta.dirname, '../../bin/tiersync.js');

describe('tiersync daemon', () => {
  it('rejects a bad --cron, naming it', async () => {
    const result = await runCli(['daemon', '--cron', '0 25 * * *']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tiersync: --cron "0 25 \* \* \*": .*hour/);
  });

  it('logs its start as a JSON line and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'daemon', '--cron', '0 3 * * *', '--timezone', 'UTC', '--config', 'shop.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = createInterface({ input: child.stdout });
    const seen: Record<string, unknown>[] = [];
    const closed = once(child, 'close');
    for await (const text of lines) {
      const line = JSON.parse(text) as Record<string, unknown>;
      seen.push(line);
      if (line.event === 'daemon_start') child.kill('SIGTERM');
    }
    const [code] = await closed;
    expect(code).toBe(0);
    expect(seen.map((l) => l.event)).toEqual(['daemon_start', 'daemon_stopping', 'daemon_stop']);
    const next = new Date(seen[0]!.next_run as string);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([3, 0]);
    expect(seen[0]).toMatchObject({ name: 'tiersync-daemon', cron: '0 3 * * *', timezone: 'UTC', command: 'tiersync sync --json --config shop.json' });
    expect(seen[1]).toMatchObject({ signal: 'SIGTERM', running: null });
    expect(seen[2]).toMatchObject({ runs: 0 });
  });
});
