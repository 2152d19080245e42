import { z } from 'zod';

const summarySchema = z.record(z.string(), z.unknown());

/**
 * The JSON object `sync --json` printed (its last non-empty stdout line), or null when the
 * run printed none (it crashed, or was stopped before the end).
 *
 * @example
 * parseSyncSummary('{"run_id":3,"operations":{}}\n') // { run_id: 3, operations: {} }
 * parseSyncSummary('boom')                           // null
 */
export function parseSyncSummary(stdout: string): Record<string, unknown> | null {
  const last = stdout.split('\n').map((line) => line.trim()).filter(Boolean).at(-1);
  if (!last) return null;
  try {
    const parsed = summarySchema.safeParse(JSON.parse(last));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
