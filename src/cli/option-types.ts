import { z } from 'zod';
import { parseTimestamp } from '../ingest/parse-fields.ts';

/**
 * A CLI date option: ISO 8601 date or timestamp (a bare date is 00:00 UTC), parsed to a Date.
 *
 * @example
 * z.object({ asOf: isoDate('--as-of') }).parse({ asOf: '2026-11-25' })
 */
export function isoDate(flag: string) {
  return z.string().transform((text, ctx) => {
    const ms = parseTimestamp(text);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `${flag} "${text}" is not a date; use ISO 8601, e.g. 2026-11-25 or 2026-11-25T00:00:00Z` });
      return z.NEVER;
    }
    return new Date(ms);
  });
}
