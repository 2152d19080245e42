import { closeSync, createReadStream, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { stringify } from 'csv-stringify/sync';
import type { PlanOperation } from '../reconcile/plan.ts';
import type { SyncReport } from '../sync/run-sync.ts';
import { UserError } from '../errors.ts';
import { describeActivation } from './activation-text.ts';
import { toSyncJson } from './sync-json.ts';

/**
 * A plan file for review, written while the plan is made (a large plan never sits in memory):
 * `.csv` (one row per operation: kind, target, tier, detail, drift) or `.json` (the summary,
 * then `operation_list` with every operation), the activation operations (native segments,
 * metafield definitions) after the customers' (CSV: with an empty tier; JSON:
 * `activation_operation_list`). Operations go to `<path>.partial` as they come;
 * `finish` moves the file into place, `discard` removes it.
 *
 * @example
 * const file = createPlanFile('plan.csv');
 * file.add(chunk.operations);
 * await file.finish(report);
 */
export function createPlanFile(path: string) {
  const json = path.endsWith('.json');
  if (!json && !path.endsWith('.csv')) throw new UserError(`--out ${path}: use a .json or .csv file name`, 2);
  const partial = `${path}.partial`;
  const cannot = (error: unknown) => new UserError(`--out ${path}: cannot write the plan (${(error as Error).message})`, 1, { cause: error });
  let fd: number;
  try {
    fd = openSync(partial, 'w');
    if (!json) writeSync(fd, stringify([['kind', 'target', 'tier', 'detail', 'drift']]));
  } catch (error) {
    throw cannot(error);
  }
  return {
    add(operations: readonly PlanOperation[]): void {
      if (!operations.length) return;
      writeSync(fd, json ? operations.map((op) => `${JSON.stringify(op)}\n`).join('') : stringify(operations.map(row)));
    },
    async finish(report: SyncReport): Promise<void> {
      try {
        if (!json) writeSync(fd, stringify(report.activation.operations.map((op) => [op.kind, op.target, '', describeActivation(op), ''])));
        closeSync(fd);
        if (json) await wrapJson(partial, path, toSyncJson(report), report.activation.operations);
        else renameSync(partial, path);
      } catch (error) {
        rmSync(partial, { force: true });
        throw cannot(error);
      }
    },
    discard(): void {
      closeSync(fd);
      rmSync(partial, { force: true });
    },
  };
}

/** The summary, every operation (one JSON line each in `lines`) as `operation_list`, then the activation's, indented as JSON.stringify(…, null, 2) would. */
async function wrapJson(lines: string, path: string, summary: object, activation: readonly unknown[]): Promise<void> {
  const out = openSync(path, 'w');
  try {
    const head = JSON.stringify(summary, null, 2);
    writeSync(out, `${head.slice(0, -2)},\n  "operation_list": [`);
    let first = true;
    for await (const line of createInterface({ input: createReadStream(lines) })) {
      if (!line) continue;
      const op = JSON.stringify(JSON.parse(line), null, 2).replaceAll('\n', '\n    ');
      writeSync(out, `${first ? '\n' : ',\n'}    ${op}`);
      first = false;
    }
    const activationList = JSON.stringify(activation, null, 2).replaceAll('\n', '\n  ');
    writeSync(out, `${first ? ']' : '\n  ]'},\n  "activation_operation_list": ${activationList}\n}\n`);
  } finally {
    closeSync(out);
    rmSync(lines, { force: true });
  }
}

function row(op: PlanOperation): string[] {
  switch (op.kind) {
    case 'tags_add':
    case 'tags_remove':
      return [op.kind, op.target, op.tier, op.payload.tags.join(' | '), op.payload.drift.join(' | ')];
    case 'metafields_set':
      return [op.kind, op.target, op.tier, op.payload.metafields.map((m) => `${m.key}=${m.value}`).join(' | '), ''];
    case 'metafields_delete':
    case 'profiles_unset':
      return [op.kind, op.target, op.tier, op.payload.keys.join(' | '), ''];
    case 'profiles_upsert':
      return [op.kind, op.target, op.tier, JSON.stringify(op.payload.properties), ''];
    case 'list_add':
    case 'list_remove':
      return [op.kind, op.target, op.tier, op.payload.list, op.payload.drift ? 'yes' : ''];
  }
}
