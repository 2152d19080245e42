import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import type { PlanOperation } from '../reconcile/plan.ts';
import type { SyncReport } from '../sync/run-sync.ts';
import { UserError } from '../errors.ts';
import { describeActivation } from './activation-text.ts';
import { toSyncJson } from './sync-json.ts';

/**
 * Writes a plan for review: `.json` (the summary and every operation) or `.csv` (one row per
 * operation: kind, target, tier, detail, drift), the activation operations (native segments,
 * metafield definitions) after the customers' with an empty tier.
 *
 * @example
 * await writePlan(report, 'plan.csv');
 */
export async function writePlan(report: SyncReport, path: string): Promise<void> {
  let text: string;
  if (path.endsWith('.json')) {
    text = `${JSON.stringify({ ...toSyncJson(report), operation_list: report.plan.operations, activation_operation_list: report.activation.operations }, null, 2)}\n`;
  } else if (path.endsWith('.csv')) {
    const activation = report.activation.operations.map((op) => [op.kind, op.target, '', describeActivation(op), '']);
    text = stringify([['kind', 'target', 'tier', 'detail', 'drift'], ...report.plan.operations.map(row), ...activation]);
  } else {
    throw new UserError(`--out ${path}: use a .json or .csv file name`, 2);
  }
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new UserError(`--out ${path}: cannot write the plan (${(error as Error).message})`, 1, { cause: error });
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
