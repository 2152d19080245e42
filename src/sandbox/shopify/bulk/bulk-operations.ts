/**
 * Bulk operations: `bulkOperationRunQuery` pages through the query's root connection in the
 * background and writes JSONL, one line per node, nested connection nodes on their own lines
 * with `__parentId`; `bulkOperationRunMutation` runs a mutation once per line of an uploaded
 * JSONL of variables and writes one result line per input line with `__lineNumber`.
 * Both move CREATED → RUNNING → COMPLETED and never touch the cost bucket beyond the mutation
 * that starts them. https://shopify.dev/docs/api/usage/bulk-operations/queries
 * https://shopify.dev/docs/api/usage/bulk-operations/imports
 */
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import { toShopifyError } from '../graphql/errors.ts';
import type { BulkPaging, ExecutionState } from '../graphql/execution-state.ts';
import type { StagedUploads } from '../uploads/staged-uploads.ts';
import { checkBulkMutation, checkBulkQuery } from './check-bulk-document.ts';
import { flattenBulkResult } from './flatten-bulk-result.ts';
import type { BulkOperationRecord, BulkOperationsPort, BulkOperationType, BulkUserError } from './types.ts';

export const BULK_RESULTS_PATH = '/__bulk';

/**
 * Since API version 2026-01 an app may run up to five bulk operations per shop at once
 * (https://shopify.dev/changelog/faster-bulk-operations); earlier versions allowed one of each type.
 */
export const DEFAULT_MAX_CONCURRENT_BULK_OPERATIONS = 5;

/** Sandbox pacing at time scale 1 (Shopify publishes no throughput; these keep jobs visibly asynchronous). */
const START_DELAY_MS = 1_000;
const OBJECTS_PER_SECOND = 5_000;
const ROOT_PAGE_SIZE = 500;

export interface BulkOperationsDeps {
  schema: GraphQLSchema;
  execute: (document: DocumentNode, variables: Record<string, unknown>, state: ExecutionState) => ExecutionResult;
  uploads: StagedUploads;
  baseUrl: () => string;
  now: () => number;
  timeScale: number;
  maxConcurrent: number;
}

export interface BulkOperations extends BulkOperationsPort {
  /** Path on disk of a finished operation's JSONL, by the numeric id in its URL. */
  resultFile(numericId: string): string | undefined;
  reset(): void;
  close(): void;
}

interface Job {
  record: BulkOperationRecord;
  file: string;
  timer: NodeJS.Timeout | null;
}

/**
 * @example
 * const bulk = createBulkOperations({ schema, execute, uploads, baseUrl, now: Date.now, timeScale: 1, maxConcurrent: 5 });
 * bulk.runQuery('{ orders { edges { node { id } } } }');
 */
export function createBulkOperations(deps: BulkOperationsDeps): BulkOperations {
  const directory = mkdtempSync(join(tmpdir(), 'tiersync-shopify-sandbox-'));
  let jobs: Job[] = [];
  let sequence = 0;

  const iso = () => new Date(deps.now()).toISOString();
  const delay = (ms: number) => Math.max(0, Math.round(ms / deps.timeScale));
  const running = () => jobs.filter((job) => job.record.status === 'CREATED' || job.record.status === 'RUNNING').length;

  const start = (type: BulkOperationType, query: string, work: (job: Job) => boolean): BulkOperationRecord => {
    sequence += 1;
    const numericId = String(4_100_000_000 + sequence);
    const file = join(directory, `${numericId}.jsonl`);
    writeFileSync(file, '');
    const record: BulkOperationRecord = {
      id: `gid://shopify/BulkOperation/${numericId}`,
      type,
      status: 'CREATED',
      errorCode: null,
      createdAt: iso(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      query,
    };
    const job: Job = { record, file, timer: null };
    jobs.push(job);
    const step = (): void => {
      job.record.status = 'RUNNING';
      let more: boolean;
      try {
        more = work(job);
      } catch {
        job.record.status = 'FAILED';
        job.record.errorCode = 'INTERNAL_SERVER_ERROR';
        job.record.completedAt = iso();
        job.timer = null;
        return;
      }
      if (more) {
        job.timer = setTimeout(step, delay((ROOT_PAGE_SIZE / OBJECTS_PER_SECOND) * 1000));
        return;
      }
      job.record.status = 'COMPLETED';
      job.record.completedAt = iso();
      job.record.fileSize = statSync(job.file).size;
      // Shopify gives no URL when a bulk query produced no objects.
      job.record.url = job.record.objectCount > 0 || type === 'MUTATION' ? `${deps.baseUrl()}${BULK_RESULTS_PATH}/${numericId}.jsonl` : null;
      job.timer = null;
    };
    job.timer = setTimeout(step, delay(START_DELAY_MS));
    return record;
  };

  const limitReached = (): BulkUserError => ({
    field: null,
    message: `A maximum of ${deps.maxConcurrent} bulk operations can run at the same time for this app and shop. Please try again later.`,
    code: 'LIMIT_REACHED',
  });

  return {
    runQuery(query) {
      const checked = checkBulkQuery(deps.schema, query);
      if ('error' in checked) return { operation: null, userErrors: [{ field: ['query'], message: checked.error, code: 'INVALID' }] };
      if (running() >= deps.maxConcurrent) return { operation: null, userErrors: [limitReached()] };
      const bulkState: BulkPaging = { rootPage: { first: ROOT_PAGE_SIZE }, endCursor: null, hasNextPage: true, rootCount: 0 };
      const operation = start('QUERY', query, (job) => {
        bulkState.rootPage = { first: ROOT_PAGE_SIZE, after: bulkState.endCursor };
        bulkState.rootCount = 0;
        const result = deps.execute(checked.document, {}, { bulk: bulkState });
        if (result.errors?.length) throw new Error(result.errors.map((error) => error.message).join('; '));
        const lines: string[] = [];
        const roots = flattenBulkResult(checked.costInput, checked.operation.selectionSet, result.data, (line) => lines.push(JSON.stringify(line)));
        if (lines.length > 0) appendFileSync(job.file, `${lines.join('\n')}\n`);
        job.record.objectCount += lines.length;
        job.record.rootObjectCount += roots;
        return bulkState.hasNextPage && bulkState.rootCount > 0;
      });
      return { operation, userErrors: [] };
    },

    runMutation(mutation, stagedUploadPath) {
      const content = deps.uploads.content(stagedUploadPath);
      if (content === undefined) {
        return {
          operation: null,
          userErrors: [{ field: ['stagedUploadPath'], message: 'The JSONL file could not be found. Try uploading the file again, and check that you have entered the URL correctly for the stagedUploadPath mutation argument.', code: 'NO_SUCH_FILE' }],
        };
      }
      const checked = checkBulkMutation(deps.schema, mutation);
      if ('error' in checked) return { operation: null, userErrors: [{ field: ['mutation'], message: checked.error, code: 'INVALID_MUTATION' }] };
      const lines = content.toString('utf8').split('\n').filter((line) => line.trim() !== '');
      const variables: Record<string, unknown>[] = [];
      for (const [index, line] of lines.entries()) {
        try {
          const parsed = JSON.parse(line) as unknown;
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
          variables.push(parsed as Record<string, unknown>);
        } catch (error) {
          return {
            operation: null,
            userErrors: [{ field: ['stagedUploadPath'], message: `The JSONL file is invalid: line ${index + 1} is not a JSON object of variables (${(error as Error).message}).`, code: 'INVALID_STAGED_UPLOAD_FILE' }],
          };
        }
      }
      if (running() >= deps.maxConcurrent) return { operation: null, userErrors: [limitReached()] };
      let next = 0;
      const operation = start('MUTATION', mutation, (job) => {
        const out: string[] = [];
        for (const end = Math.min(variables.length, next + ROOT_PAGE_SIZE); next < end; next += 1) {
          const result = deps.execute(checked.document, variables[next] as Record<string, unknown>, { bulk: null });
          out.push(JSON.stringify({ ...(result.errors ? { errors: result.errors.map(toShopifyError) } : {}), data: result.data ?? null, __lineNumber: next }));
        }
        if (out.length > 0) appendFileSync(job.file, `${out.join('\n')}\n`);
        job.record.objectCount += out.length;
        job.record.rootObjectCount += out.length;
        return next < variables.length;
      });
      return { operation, userErrors: [] };
    },

    current(type) {
      for (let index = jobs.length - 1; index >= 0; index -= 1) {
        const job = jobs[index] as Job;
        if (job.record.type === type) return job.record;
      }
      return null;
    },
    byId: (id) => jobs.find((job) => job.record.id === id)?.record ?? null,
    resultFile(numericId) {
      const job = jobs.find((candidate) => candidate.record.id.endsWith(`/${numericId}`));
      return job && job.record.status === 'COMPLETED' ? job.file : undefined;
    },
    reset() {
      for (const job of jobs) if (job.timer) clearTimeout(job.timer);
      for (const job of jobs) rmSync(job.file, { force: true });
      jobs = [];
    },
    close() {
      for (const job of jobs) if (job.timer) clearTimeout(job.timer);
      jobs = [];
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
