import { z } from 'zod';
import { ApiError } from '../../errors.ts';
import type { ShopifyClient } from '../client.ts';
import { parseShape } from '../graphql-envelope.ts';
import { parseJsonLine } from './parse-json-line.ts';
import { completeBulkOperation } from './complete-bulk-operation.ts';
import type { PollOptions } from './poll-bulk-operation.ts';
import { uploadBulkVariables } from './staged-upload.ts';

export const RUN_BULK_MUTATION = `mutation RunBulkMutation($mutation: String!, $stagedUploadPath: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

const runSchema = z.object({
  bulkOperationRunMutation: z.object({
    bulkOperation: z.object({ id: z.string(), status: z.string() }).nullable(),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string(), code: z.string().nullable().optional() })),
  }),
});

const userErrorSchema = z.object({ message: z.string(), elementIndex: z.number().int().nullable().optional() });

/** One line of the result file: the mutation's payload (or GraphQL errors) for one input line. */
const resultLineSchema = z.object({
  __lineNumber: z.number().int().nonnegative(),
  data: z.record(z.string(), z.object({ userErrors: z.array(userErrorSchema) }).nullable()).nullable().optional(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

export interface BulkLineError {
  readonly message: string;
  /** For list inputs (metafieldsSet), which element the error is about. */
  readonly elementIndex: number | null;
}

export interface BulkMutationInput {
  /** Names the job in errors, e.g. `bulk tagsAdd`. */
  readonly operation: string;
  /** The mutation run once per line, taking each line's variables. */
  readonly mutation: string;
  /** The mutation's root field, whose `userErrors` the result lines carry. */
  readonly payloadField: string;
  /** One variables object per line, in order. A resumed job must be given the same lines. */
  readonly lines: readonly Readonly<Record<string, unknown>>[];
  /** A job of an interrupted run over the same lines: polled, or replaced if it failed or expired (tiersync's tag and metafield mutations are idempotent). */
  readonly resumeOperationId?: string;
  readonly onOperationId?: (id: string) => void | Promise<void>;
}

export interface BulkMutationOutcome {
  readonly operationId: string;
  /** Per input line: its errors (empty when it succeeded). A line without a result is an error too. */
  readonly lineErrors: BulkLineError[][];
}

/**
 * Runs a mutation over many inputs in one bulk operation: the inputs as a JSONL of variables
 * uploaded through `stagedUploadsCreate`, `bulkOperationRunMutation` (one at a time per shop),
 * polled until done, then the result JSONL read back by `__lineNumber`.
 * https://shopify.dev/docs/api/usage/bulk-operations/imports
 *
 * @example
 * const { lineErrors } = await runBulkMutation(client, { operation: 'bulk tagsAdd', mutation: BULK_TAGS_ADD_MUTATION,
 *   payloadField: 'tagsAdd', lines: [{ id: 'gid://shopify/Customer/1', tags: ['ltv:vip'] }] });
 */
export async function runBulkMutation(client: ShopifyClient, input: BulkMutationInput, poll?: PollOptions): Promise<BulkMutationOutcome> {
  const done = await completeBulkOperation(client, {
    operation: input.operation,
    start: () => startBulkMutation(client, input),
    ...(input.resumeOperationId !== undefined ? { resumeOperationId: input.resumeOperationId } : {}),
    ...(input.onOperationId ? { onOperationId: input.onOperationId } : {}),
    ...(poll ? { poll } : {}),
  });
  const byLine = new Map<number, BulkLineError[]>();
  if (done.url) {
    let count = 0;
    for await (const text of client.files.lines(done.url, `${input.operation} result`)) {
      count++;
      const where = `line ${count}`;
      const line = parseShape(resultLineSchema, parseJsonLine(text, input.operation, where), input.operation, where);
      const payload = line.data?.[input.payloadField];
      const errors: BulkLineError[] = [
        ...(line.errors ?? []).map((error) => ({ message: error.message, elementIndex: null })),
        ...(payload?.userErrors ?? []).map((error) => ({ message: error.message, elementIndex: error.elementIndex ?? null })),
      ];
      if (!payload && !line.errors) errors.push({ message: 'no result for this line', elementIndex: null });
      byLine.set(line.__lineNumber, errors);
    }
  }
  const lineErrors = input.lines.map((_, index) => byLine.get(index) ?? [{ message: 'no result line for this input', elementIndex: null }]);
  return { operationId: done.id, lineErrors };
}

async function startBulkMutation(client: ShopifyClient, input: BulkMutationInput): Promise<string> {
  const jsonl = input.lines.map((variables) => JSON.stringify(variables)).join('\n') + '\n';
  const stagedUploadPath = await uploadBulkVariables(client, jsonl, input.operation);
  const { bulkOperationRunMutation: payload } = await client.request({
    operation: `${input.operation} start`,
    document: RUN_BULK_MUTATION,
    variables: { mutation: input.mutation, stagedUploadPath },
    estimatedCost: 10,
    data: runSchema,
  });
  if (payload.userErrors.length > 0 || !payload.bulkOperation) {
    const messages = payload.userErrors.map((error) => `${error.message}${error.code ? ` [${error.code}]` : ''}`);
    throw new ApiError(`bulk mutation refused: ${messages.join('; ') || 'no operation returned'}`, { service: 'shopify', operation: input.operation });
  }
  return payload.bulkOperation.id;
}
