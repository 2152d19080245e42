import { spawn } from 'node:child_process';
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

/** Starts `tiersync sync` in a child process and SIGKILLs it once `confirmed(kinds) ≥ 1` in the journal. */
async function syncKilledAfter(sandbox: RunningSandbox, storePath: string, kinds: string[]): Promise<{ killed: boolean }> {
  const child = spawn(process.execPath, [BIN, 'sync', '--store', storePath, '--json'], {
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
        killed = child.kill('SIGKILL');
        break;
      }
    } catch {
      // the store or its journal does not exist yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await exited;
  return { killed };
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

describe('a sync killed mid-apply resumes with the next sync', () => {
  it.each([
    ['during the Shopify tag writes', ['tags_add']],
    ['during the metafield writes', ['metafields_set']],
    ['during the Klaviyo imports', ['profiles_upsert', 'list_add']],
  ])('killed %s: the end state equals an uninterrupted run and nothing confirmed is sent again', async (_, kinds) => {
    const reference = await startTestSandbox({ ...SHOP, faults: SLOW });
    const interrupted = await startTestSandbox({ ...SHOP, faults: SLOW });
    try {
      await syncAgainst(reference, tempStorePath());
      const storePath = tempStorePath();
      const { killed } = await syncKilledAfter(interrupted, storePath, kinds);
      expect(killed).toBe(true);
      const afterKill = journal(storePath);
      expect(afterKill.runs).toEqual([{ id: 1, status: 'running' }]);
      const confirmedBefore = afterKill.rows.filter((r) => r.status === 'confirmed');
      expect(confirmedBefore.length).toBeGreaterThan(0);
      expect(confirmedBefore.length).toBeLessThan(afterKill.rows.length);

      const resumed = await syncAgainst(interrupted, storePath);
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
