/**
 * Bulk operations: `bulkOperationRunQuery` pages through the query's root connection in the
 * background and writes JSONL, one line per node, nested connection nodes on their own lines
 * with `__parentId`; `bulkOperationRunMutation` runs a mutation once per line of an uploaded
 * JSONL of variables and writes one result line per input line with `__lineNumber`.
 * Both move CREATED → RUNNING → COMPLETED (or FAILED) and never touch the cost bucket beyond the
 * mutation that starts them; a completed operation's URL expires a week after it completed (status
 * EXPIRED). Without `groupObjects`, a query's children may be anywhere in the file (`scattered`).
 * https://shopify.dev/docs/api/usage/bulk-operations/queries
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
import { seededRandom } from '../../../util/seeded-random.ts';
import { createScatter } from './scatter-lines.ts';
import type { BulkGrouping, BulkOperationRecord, BulkOperationsPort, BulkOperationType, BulkUserError } from './types.ts';

export const BULK_RESULTS_PATH = '/__bulk';

/**
 * Since API version 2026-01 an app may run up to five bulk queries and five bulk mutations per
 * shop at once (https://shopify.dev/changelog/faster-bulk-operations); earlier versions allowed
 * one of each type, refused with OPERATION_IN_PROGRESS.
 */
export const DEFAULT_MAX_CONCURRENT_BULK_OPERATIONS = 5;
/** The result URL of a completed operation is valid for a week (https://shopify.dev/docs/api/usage/bulk-operations/queries). */
export const RESULT_URL_TTL_MS = 7 * 86_400_000;

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
  /** Per type: this many queries and this many mutations may run at once. */
  maxConcurrent: number;
  grouping: BulkGrouping;
  /** Seeds the scattered order. */
  seed: number;
}

/** A failure the next bulk operation of a type meets after writing `afterRootObjects` root objects. */
export interface InjectedBulkFailure {
  errorCode: 'TIMEOUT' | 'INTERNAL_SERVER_ERROR';
  afterRootObjects: number;
}

export interface BulkOperations extends BulkOperationsPort {
  /** Path on disk of a finished operation's JSONL, by the numeric id in its URL. */
  resultFile(numericId: string): string | undefined;
  /** Test hook: the next operation of `type` fails as given, with its partial data. */
  failNext(type: BulkOperationType, failure: InjectedBulkFailure): void;
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
  let failures = new Map<BulkOperationType, InjectedBulkFailure>();

  const iso = () => new Date(deps.now()).toISOString();
  const delay = (ms: number) => Math.max(0, Math.round(ms / deps.timeScale));
  const runningOf = (type: BulkOperationType) =>
    jobs.filter((job) => job.record.type === type && (job.record.status === 'CREATED' || job.record.status === 'RUNNING'));
  const resultUrl = (numericId: string) => `${deps.baseUrl()}${BULK_RESULTS_PATH}/${numericId}.jsonl`;
  /** Completed operations past their URL's week are EXPIRED from then on. */
  const expire = (record: BulkOperationRecord): BulkOperationRecord => {
    if (record.status === 'COMPLETED' && record.completedAt !== null && deps.now() >= Date.parse(record.completedAt) + RESULT_URL_TTL_MS) {
      record.status = 'EXPIRED';
      record.url = null;
    }
    return record;
  };

  /** Starts a job that calls `work` a page at a time until it returns false; `finished` runs once it COMPLETED or FAILED. */
  const start = (type: BulkOperationType, query: string, work: (job: Job) => boolean, finished: () => void = () => {}): BulkOperationRecord => {
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
      partialDataUrl: null,
      query,
    };
    const job: Job = { record, file, timer: null };
    jobs.push(job);
    const failure = failures.get(type);
    failures.delete(type);
    const fail = (errorCode: string): void => {
      job.record.status = 'FAILED';
      job.record.errorCode = errorCode;
      job.record.completedAt = iso();
      job.record.fileSize = statSync(job.file).size;
      job.record.partialDataUrl = job.record.objectCount > 0 ? resultUrl(numericId) : null;
      job.timer = null;
      finished();
    };
    const step = (): void => {
      job.record.status = 'RUNNING';
      if (failure && job.record.rootObjectCount >= failure.afterRootObjects) return fail(failure.errorCode);
      let more: boolean;
      try {
        more = work(job);
      } catch (error) {
        return fail(error instanceof AccessDeniedError ? 'ACCESS_DENIED' : 'INTERNAL_SERVER_ERROR');
      }
      if (more) {
        job.timer = setTimeout(step, delay((ROOT_PAGE_SIZE / OBJECTS_PER_SECOND) * 1000));
        return;
      }
      job.record.status = 'COMPLETED';
      job.record.completedAt = iso();
      job.record.fileSize = statSync(job.file).size;
      // Shopify gives no URL when a bulk query produced no objects.
      job.record.url = job.record.objectCount > 0 || type === 'MUTATION' ? resultUrl(numericId) : null;
      job.timer = null;
      finished();
    };
    job.timer = setTimeout(step, delay(START_DELAY_MS));
    return record;
  };

  /** Refuses a start when `type` already runs its maximum; null when it may start. */
  const refusal = (type: BulkOperationType): BulkUserError | null => {
    const running = runningOf(type);
    if (running.length < deps.maxConcurrent) return null;
    const kind = type === 'QUERY' ? 'query' : 'mutation';
    if (deps.maxConcurrent === 1) {
      return { field: null, message: `A bulk ${kind} operation for this app and shop is already in progress: ${(running[0] as Job).record.id}.`, code: 'OPERATION_IN_PROGRESS' };
    }
    return { field: null, message: `A maximum of ${deps.maxConcurrent} bulk ${kind} operations can run at the same time for this app and shop. Please try again later.`, code: 'LIMIT_REACHED' };
  };

  return {
    runQuery(query, groupObjects) {
      const checked = checkBulkQuery(deps.schema, query);
      if ('error' in checked) return { operation: null, userErrors: [{ field: ['query'], message: checked.error, code: 'INVALID' }] };
      const refused = refusal('QUERY');
      if (refused) return { operation: null, userErrors: [refused] };
      const bulkState: BulkPaging = { rootPage: { first: ROOT_PAGE_SIZE }, endCursor: null, hasNextPage: true, rootCount: 0 };
      const scatter = !groupObjects && deps.grouping === 'scattered' ? createScatter(seededRandom(deps.seed * 7919 + sequence + 1)) : null;
      const operation = start('QUERY', query, (job) => {
        bulkState.rootPage = { first: ROOT_PAGE_SIZE, after: bulkState.endCursor };
        bulkState.rootCount = 0;
        const result = deps.execute(checked.document, {}, { bulk: bulkState });
        if (result.errors?.some((error) => error.extensions.code === 'ACCESS_DENIED')) throw new AccessDeniedError();
        if (result.errors?.length) throw new Error(result.errors.map((error) => error.message).join('; '));
        let lines: string[] = [];
        const roots = flattenBulkResult(checked.costInput, checked.operation.selectionSet, result.data, (line) => lines.push(JSON.stringify(line)));
        const more = bulkState.hasNextPage && bulkState.rootCount > 0;
        if (scatter) lines = scatter.page(lines, !more);
        if (lines.length > 0) appendFileSync(job.file, `${lines.join('\n')}\n`);
        job.record.objectCount += lines.length;
        job.record.rootObjectCount += roots;
        return more;
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
      // Every line is checked before the operation starts, then read again a page at a time, so
      // the parsed variables of one page at most are in memory beside the file.
      const lines = jsonlLines(content);
      let count = 0;
      for (const line of lines) {
        const problem = variablesProblem(line);
        if (problem !== null) {
          return {
            operation: null,
            userErrors: [{ field: ['stagedUploadPath'], message: `The JSONL file is invalid: line ${count + 1} is not a JSON object of variables (${problem}).`, code: 'INVALID_STAGED_UPLOAD_FILE' }],
          };
        }
        count += 1;
      }
      const refused = refusal('MUTATION');
      if (refused) return { operation: null, userErrors: [refused] };
      const pending = jsonlLines(content)[Symbol.iterator]();
      let next = 0;
      const work = (job: Job): boolean => {
        const out: string[] = [];
        for (const end = Math.min(count, next + ROOT_PAGE_SIZE); next < end; next += 1) {
          const variables = JSON.parse(pending.next().value as string) as Record<string, unknown>;
          const result = deps.execute(checked.document, variables, { bulk: null });
          out.push(JSON.stringify({ ...(result.errors ? { errors: result.errors.map(toShopifyError) } : {}), data: result.data ?? null, __lineNumber: next }));
        }
        if (out.length > 0) appendFileSync(job.file, `${out.join('\n')}\n`);
        job.record.objectCount += out.length;
        job.record.rootObjectCount += out.length;
        return next < count;
      };
      // Staged uploads are temporary (stagedUploadsCreate: "secure, temporary upload URLs"); the
      // file goes once the operation that read it has finished, as it has no further use.
      const operation = start('MUTATION', mutation, work, () => deps.uploads.release(stagedUploadPath));
      return { operation, userErrors: [] };
    },

    current(type) {
      for (let index = jobs.length - 1; index >= 0; index -= 1) {
        const job = jobs[index] as Job;
        if (job.record.type === type) return expire(job.record);
      }
      return null;
    },
    byId(id) {
      const record = jobs.find((job) => job.record.id === id)?.record;
      return record ? expire(record) : null;
    },
    all: () => jobs.map((job) => expire(job.record)),
    resultFile(numericId) {
      const job = jobs.find((candidate) => candidate.record.id.endsWith(`/${numericId}`));
      if (!job) return undefined;
      const { status, partialDataUrl } = expire(job.record);
      return status === 'COMPLETED' || (status === 'FAILED' && partialDataUrl !== null) ? job.file : undefined;
    },
    failNext(type, failure) {
      failures.set(type, failure);
    },
    reset() {
      failures = new Map();
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

/** The non-blank lines of a JSONL file, one at a time (the file is never split whole). */
function* jsonlLines(content: Buffer): Generator<string> {
  let start = 0;
  while (start < content.length) {
    const newline = content.indexOf(10, start);
    const end = newline < 0 ? content.length : newline;
    const line = content.toString('utf8', start, end);
    if (line.trim() !== '') yield line;
    start = end + 1;
  }
}

/** Why a JSONL line is not a JSON object of variables, or null when it is one. */
function variablesProblem(line: string): string | null {
  try {
    const parsed = JSON.parse(line) as unknown;
    return parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) ? 'not a JSON object' : null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A bulk query whose document reads a field the app's scopes do not grant. */
class AccessDeniedError extends Error {
  override name = 'AccessDeniedError';
}
