import { KlaviyoApiError } from './errors.ts';
import type { IdSource } from './ids.ts';
import type { KlaviyoStore, ProfileInput } from './store.ts';

/**
 * Bulk profile import jobs (Bulk Import Profiles API guide, developers.klaviyo.com/en/docs/
 * use_klaviyos_bulk_profile_import_api): a job is accepted with 202 in status `queued`, then
 * `processing`, then `complete`; `completed_count` and `failed_count` grow while it runs, and each
 * profile that fails leaves an import error. The sandbox queues a job for 1 s, then processes
 * 1,000 profiles a second (at least 1 s), all divided by the time scale; work is applied lazily,
 * whenever the emulator next looks at its state.
 */

const QUEUED_MS = 1000;
const PROFILES_PER_SECOND = 1000;
const MIN_PROCESSING_MS = 1000;

export interface ImportErrorRecord {
  id: string;
  seq: number;
  code: string;
  title: string;
  detail: string;
  pointer: string;
  originalPayload: Record<string, unknown>;
}

export interface BulkJob {
  id: string;
  seq: number;
  createdAt: number;
  startedAt: number;
  completedAt: number;
  /** How many profiles the job was given. */
  total: number;
  /** The profiles to import, emptied once all are processed: a finished job keeps only its counts and errors. */
  profiles: ProfileInput[];
  listIds: string[];
  processed: number;
  completed: number;
  failed: number;
  errors: ImportErrorRecord[];
}

export type BulkJobStatus = 'queued' | 'processing' | 'complete';

export type BulkJobs = ReturnType<typeof createBulkJobs>;

/**
 * @example
 * const jobs = createBulkJobs({ store, ids, now, timeScale: 1 });
 * const job = jobs.create(profiles, ['Y6nRLr']);
 * jobs.advance(); jobs.status(job); // 'queued' until 1 s has passed
 */
export function createBulkJobs(deps: { store: KlaviyoStore; ids: IdSource; now: () => number; timeScale: number }) {
  const jobs = new Map<string, BulkJob>();
  let seq = 0;

  const processOne = (job: BulkJob, index: number): void => {
    const input = job.profiles[index] as ProfileInput;
    try {
      const { profile } = deps.store.upsertProfile(input, 'ignore');
      for (const listId of job.listIds) deps.store.addMembers(listId, [profile.id]);
      deps.store.writes.profiles_imported += 1;
      job.completed += 1;
    } catch (error) {
      if (!(error instanceof KlaviyoApiError)) throw error;
      const first = error.errors[0];
      const pointer = (first?.source.pointer ?? '/data/').replace(/^\/data/, `/data/attributes/profiles/data/${index}`);
      job.errors.push({
        id: deps.ids.uuid(),
        seq: job.errors.length,
        code: first?.code ?? 'invalid',
        title: first?.title ?? 'Invalid input.',
        detail: first?.detail ?? error.message,
        pointer,
        originalPayload: input as unknown as Record<string, unknown>,
      });
      job.failed += 1;
    }
  };

  return {
    create(profiles: ProfileInput[], listIds: string[]): BulkJob {
      const createdAt = deps.now();
      const processingMs = Math.max(MIN_PROCESSING_MS, (profiles.length / PROFILES_PER_SECOND) * 1000);
      const startedAt = createdAt + QUEUED_MS / deps.timeScale;
      const job: BulkJob = {
        id: deps.ids.ulid(),
        seq: seq++,
        createdAt,
        startedAt,
        completedAt: startedAt + processingMs / deps.timeScale,
        total: profiles.length,
        profiles,
        listIds,
        processed: 0,
        completed: 0,
        failed: 0,
        errors: [],
      };
      jobs.set(job.id, job);
      return job;
    },

    get: (id: string): BulkJob | undefined => jobs.get(id),
    all: (): BulkJob[] => [...jobs.values()],

    /** Applies every job's profiles due by now, in job order. */
    advance(): void {
      const time = deps.now();
      for (const job of jobs.values()) {
        if (job.processed === job.total) continue;
        const due =
          time < job.startedAt
            ? 0
            : time >= job.completedAt
              ? job.total
              : Math.floor((job.total * (time - job.startedAt)) / (job.completedAt - job.startedAt));
        while (job.processed < due) {
          processOne(job, job.processed);
          job.processed += 1;
        }
        if (job.processed === job.total) job.profiles = [];
      }
    },

    status(job: BulkJob): BulkJobStatus {
      const time = deps.now();
      if (time >= job.completedAt && job.processed === job.total) return 'complete';
      return time >= job.startedAt ? 'processing' : 'queued';
    },
  };
}
