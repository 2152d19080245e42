import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../src/sandbox/faults.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';
import { sandboxState, syncAgainst, tempStorePath, TIME_SCALE } from './sync-helpers.ts';

const BIN = join(import.meta.dirname, '../../bin/tiersync.js');
const SHOP = { customers: 220, seed: 21 };
// Slow answers stretch the apply so that a kill lands in the middle of it.
const SLOW = parseFaultSpec('slow=1:40ms');
// Each store draws its own holdout salt, so two stores hold out different customers: the runs
// compared here keep holdouts off to compare the end states of two shops exactly.
const NO_HOLDOUT = { holdout: { share: 0 } };
const NO_HOLDOUT_FILE = join(mkdtempSync(join(tmpdir(), 'tiersync-resume-')), 'tiersync.json');
writeFileSync(NO_HOLDOUT_FILE, JSON.stringify(NO_HOLDOUT));

/** Starts `tiersync sync` in a child process and sends `signal` once `confirmed(kinds) ≥ 1` in the journal. */
async function syncKilledAfter(sandbox: RunningSandbox, storePath: string, kinds: string[], signal: NodeJS.Signals = 'SIGKILL'): Promise<{ killed: boolean; code: number | null }> {
  const child = spawn(process.execPath, [BIN, 'sync', '--store', storePath, '--json', '--config', NO_HOLDOUT_FILE], {
    env: { ...process.env, ...sandbox.env, TIERSYNC_SANDBOX_TIME_SCALE: String(TIME_SCALE) },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let killed = false;
  let running = true;
  void exited.then(() => (running = false));
  while (running) {
    try {
      const db = new Database(storePath, { readonly: true, fileMustExist: true });
      const placeholders = kinds.map(() => '?').join(',');
      const row = db.prepare(`SELECT count(*) AS n FROM journal WHERE status = 'confirmed' AND kind IN (${placeholders})`).get(...kinds) as { n: number };
      db.close();
      if (row.n > 0) {
        killed = child.kill(signal);
        break;
      }
    } catch {
      // the store or its journal does not exist yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { killed, code: await exited };
}

function journal(storePath: string) {
  const db = new Database(storePath, { readonly: true });
  const rows = db.prepare('SELECT run_id, kind, target, payload, status FROM journal ORDER BY id').all() as { run_id: number; kind: string; target: string; payload: string; status: string }[];
  const runs = db.prepare('SELECT id, status FROM runs ORDER BY id').all() as { id: number; status: string }[];
  db.close();
  return { rows, runs };
}

/** The managed end state, comparable across two sandboxes of the same seed. */
async function endState(sandbox: RunningSandbox) {
  const state = await sandboxState(sandbox);
  const emailOf = new Map(state.klaviyo.profiles.map((p) => [p.id, p.email.toLowerCase()]));
  return {
    tags: state.shopify.customers.map((c) => [c.id, [...c.tags].sort()]),
    profiles: state.klaviyo.profiles
      .map((p) => [p.email.toLowerCase(), Object.fromEntries(Object.entries(p.properties).filter(([k]) => k !== 'tiersync_updated_at'))] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
    lists: state.klaviyo.lists.map((l) => [l.name, l.profile_ids.map((id) => emailOf.get(id)).sort()]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
  };
}

// Each test runs whole syncs in child processes and kills one mid-apply (12 s a test on a loaded
// two-core machine, up to 30 s under heavier load), so this file allows more than the 30 s default.
describe('a sync killed mid-apply resumes with the next sync', { timeout: 120_000 }, () => {
  it('on SIGTERM stops after the batch in flight, releases the lock, and the next sync finishes the work', async () => {
    const sandbox = await startTestSandbox({ ...SHOP, faults: SLOW });
    try {
      const storePath = tempStorePath();
      const { killed, code } = await syncKilledAfter(sandbox, storePath, ['tags_add'], 'SIGTERM');
      expect(killed).toBe(true);
      expect(code).toBe(143);
      const db = new Database(storePath, { readonly: true });
      expect(db.prepare('SELECT status FROM runs').all()).toEqual([{ status: 'failed' }]);
      expect(db.prepare('SELECT expires_at FROM locks').all()).toEqual([{ expires_at: 0 }]);
      db.close();
      const resumed = await syncAgainst(sandbox, storePath, { configJson: NO_HOLDOUT });
      expect(resumed.resumedRun?.id).toBe(1);
      expect(resumed.applied!.failed).toBe(0);
      const again = await syncAgainst(sandbox, storePath, { configJson: NO_HOLDOUT });
      expect(again.plan.operations).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it.each([
    ['during the Shopify tag writes', ['tags_add']],
    ['during the metafield writes', ['metafields_set']],
    ['during the Klaviyo imports', ['profiles_upsert', 'list_add']],
  ])('killed %s: the end state equals an uninterrupted run and nothing confirmed is sent again', async (_, kinds) => {
    const reference = await startTestSandbox({ ...SHOP, faults: SLOW });
    const interrupted = await startTestSandbox({ ...SHOP, faults: SLOW });
    try {
      await syncAgainst(reference, tempStorePath(), { configJson: NO_HOLDOUT });
      const storePath = tempStorePath();
      const { killed } = await syncKilledAfter(interrupted, storePath, kinds);
      expect(killed).toBe(true);
      const afterKill = journal(storePath);
      expect(afterKill.runs).toEqual([{ id: 1, status: 'running' }]);
      const confirmedBefore = afterKill.rows.filter((r) => r.status === 'confirmed');
      expect(confirmedBefore.length).toBeGreaterThan(0);
      expect(confirmedBefore.length).toBeLessThan(afterKill.rows.length);

      const resumed = await syncAgainst(interrupted, storePath, { configJson: NO_HOLDOUT });
      expect(resumed.resumedRun).toMatchObject({ id: 1, confirmed: confirmedBefore.length });
      expect(resumed.applied!.failed).toBe(0);
      const resentKeys = new Set(journal(storePath).rows.filter((r) => r.run_id === 2).map((r) => `${r.kind}|${r.target}|${r.payload}`));
      for (const op of confirmedBefore) expect(resentKeys.has(`${op.kind}|${op.target}|${op.payload}`)).toBe(false);
      expect(journal(storePath).runs.map((r) => r.status)).toEqual(['abandoned', 'completed']);

      expect(await endState(interrupted)).toEqual(await endState(reference));
    } finally {
      await Promise.all([reference.close(), interrupted.close()]);
    }
  });
});
