import type { z } from 'zod';
import { UserError } from '../errors.ts';

/**
 * Validates commander's parsed options with a zod schema; a bad value is a UserError that
 * names the flag (`--as-of`) and what is allowed.
 *
 * @example
 * const options = parseOptions(z.object({ asOf: isoDate('--as-of') }), rawOptions);
 */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const flag = issue.path.map((p) => `--${String(p).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(' ');
    return `${flag || 'options'}: ${issue.message}`;
  });
  throw new UserError(problems.join('\n'), 2);
}
