import { ApiError } from '../errors.ts';
import type { KlaviyoTransport } from './transport.ts';
import { importErrorsResponse, importJobResponse, nextCursor } from './responses.ts';

/** A profile the job could not import, as Klaviyo reports it. */
export interface ImportError {
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** The profile's email when Klaviyo echoes the payload back. */
  readonly email: string | null;
}

export interface ImportJobResult {
  readonly jobId: string;
  readonly status: 'complete' | 'cancelled';
  readonly totalCount: number;
  readonly completedCount: number;
  readonly failedCount: number;
  readonly errors: readonly ImportError[];
}

export interface WaitOptions {
  /** First poll delay in server time; grows ×1.5 up to `maxPollMs`. Default 1 s. */
  readonly firstPollMs?: number;
  readonly maxPollMs?: number;
  /** Give up after this long in server time. Default 30 min. */
  readonly timeoutMs?: number;
}

/**
 * Polls a bulk import job until Klaviyo reports it `complete` or `cancelled`, backing off
 * between polls, then collects the per-profile errors (`/import-errors`, 100 a page) when any
 * profile failed. Times are server time: divided by `timeScale` for the sandbox.
 *
 * @example
 * const result = await waitForImportJob(transport, deps, '01K…');
 * result.failedCount; // 0
 */
export async function waitForImportJob(
  transport: KlaviyoTransport,
  deps: { readonly sleep: (ms: number) => Promise<void>; readonly now: () => number; readonly timeScale?: number },
  jobId: string,
  options: WaitOptions = {},
): Promise<ImportJobResult> {
  const scale = deps.timeScale ?? 1;
  const maxPollMs = (options.maxPollMs ?? 10_000) / scale;
  const deadline = deps.now() + (options.timeoutMs ?? 30 * 60_000) / scale;
  let delay = (options.firstPollMs ?? 1000) / scale;
  const operation = `GET /api/profile-bulk-import-jobs/${jobId}`;

  for (;;) {
    const job = await transport.send(
      { endpoint: 'get_bulk_import_profiles_job', operation, schema: importJobResponse },
      () => transport.profiles.getBulkImportProfilesJob(jobId),
    );
    const { status, total_count, completed_count, failed_count } = job.data.attributes;
    if (status === 'complete' || status === 'cancelled') {
      const failedCount = failed_count ?? 0;
      return {
        jobId,
        status,
        totalCount: total_count,
        completedCount: completed_count ?? 0,
        failedCount,
        errors: failedCount > 0 ? await importErrors(transport, jobId) : [],
      };
    }
    if (deps.now() + delay > deadline) {
      throw new ApiError(`job still ${status} after the wait limit; it keeps running at Klaviyo, poll it again later`, {
        service: 'klaviyo',
        operation,
      });
    }
    await deps.sleep(delay);
    delay = Math.min(maxPollMs, delay * 1.5);
  }
}

async function importErrors(transport: KlaviyoTransport, jobId: string): Promise<ImportError[]> {
  const errors: ImportError[] = [];
  let cursor: string | null = null;
  do {
    const pageCursor: string | undefined = cursor ?? undefined;
    const page = await transport.send(
      {
        endpoint: 'get_errors_for_bulk_import_profiles_job',
        operation: `GET /api/profile-bulk-import-jobs/${jobId}/import-errors`,
        schema: importErrorsResponse,
      },
      () => transport.profiles.getErrorsForBulkImportProfilesJob(jobId, { pageSize: 100, pageCursor }),
    );
    for (const item of page.data) {
      const { code, title, detail, original_payload } = item.attributes;
      const attributes = original_payload?.attributes as { email?: unknown } | undefined;
      const email = typeof original_payload?.email === 'string' ? original_payload.email : attributes?.email;
      errors.push({ code, title, detail, email: typeof email === 'string' ? email : null });
    }
    cursor = nextCursor(page.links);
  } while (cursor !== null);
  return errors;
}
