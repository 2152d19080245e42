import { countActivation, type ActivationOperation, type ActivationPlan } from '../activation/plan-activation.ts';
import type { ActivationApplyResult } from '../sync/activation-stage.ts';
import { describeRecordKey } from '../sync/activation-stage.ts';

/**
 * The activation lines of `plan` / `sync`: native segments and metafield definitions to create
 * or update (each one, there are few), those left in place, and names someone else holds.
 *
 * @example
 * activationLines(report.activation); // ['activation: shopify_segment_create 11, ...', '  create Shopify segment "tiersync: VIP": ...']
 */
export function activationLines(plan: ActivationPlan): string[] {
  const counts = Object.entries(countActivation(plan)).filter(([, n]) => n > 0);
  const out = [`activation: ${counts.length ? counts.map(([kind, n]) => `${kind} ${n}`).join(', ') : 'native segments and metafield definitions up to date'}`];
  for (const op of plan.operations) out.push(`  ${describeActivation(op)}`);
  if (plan.adopted.length) out.push(`  found by name with tiersync's definition, now recorded: ${plan.adopted.map((a) => `"${a.record.name}"`).join(', ')}`);
  for (const { key, record } of plan.leftInPlace) out.push(`  left in place (no longer in the config; delete it yourself if no flow uses it): ${describeRecordKey(key)} "${record.name}"`);
  for (const conflict of plan.conflicts) out.push(`  not touched: ${conflict.message}`);
  return out;
}

/** @example activationApplyLines(result); // ['  activation: 29 confirmed, 0 failed'] */
export function activationApplyLines(result: ActivationApplyResult): string[] {
  const confirmed = Object.values(result.confirmedByKind).reduce((sum, n) => sum + n, 0);
  if (confirmed === 0 && result.failed.length === 0) return [];
  return [`  activation: ${confirmed} confirmed, ${result.failed.length} failed`, ...result.failed.map((f) => `  failed ${describeRecordKey(f.target)}: ${f.error}`)];
}

/** One activation operation in words. @example describeActivation(op); // 'create Shopify segment "tiersync: VIP": customer_tags CONTAINS ...' */
export function describeActivation(op: ActivationOperation): string {
  switch (op.kind) {
    case 'metafield_definition_create':
      return `define metafield ${op.payload.namespace}.${op.payload.key} (${op.payload.type}) as "${op.payload.name}"${op.payload.adminFilterable ? ', filterable in the admin' : ''}`;
    case 'metafield_definition_update':
      return `rename metafield definition ${op.payload.namespace}.${op.payload.key} to "${op.payload.name}" (${op.payload.description})`;
    case 'shopify_segment_create':
      return `create Shopify segment "${op.payload.name}": ${op.payload.query}`;
    case 'shopify_segment_update':
      return `update Shopify segment "${op.payload.previousName}"${op.payload.name !== op.payload.previousName ? ` → "${op.payload.name}"` : ''}: ${op.payload.query}`;
    case 'klaviyo_segment_create':
      return `create Klaviyo segment "${op.payload.name}": ${describeDefinition(op.payload.definition)}`;
    case 'klaviyo_segment_update':
      return `update Klaviyo segment "${op.payload.previousName}"${op.payload.name !== op.payload.previousName ? ` → "${op.payload.name}"` : ''}: ${describeDefinition(op.payload.definition)}`;
  }
}

function describeDefinition(definition: Extract<ActivationOperation, { kind: 'klaviyo_segment_create' }>['payload']['definition']): string {
  return definition.condition_groups
    .map((group) => group.conditions.map((c) => `${c.property} ${c.filter.operator} ${JSON.stringify(c.filter.value)}`).join(' OR '))
    .join(' AND ');
}
