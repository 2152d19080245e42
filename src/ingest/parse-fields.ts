/** Field parsers shared by the order-file readers. Each returns null for unusable text. */

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const LOOSE = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses a timestamp into epoch ms. Accepts ISO 8601 (`2024-05-01T10:00:00Z`, with an
 * offset or fraction), a bare date (`2024-05-01`, taken as 00:00 UTC) and Shopify export
 * dates (`2024-05-01 10:00:00 -0500`). A time without a zone is taken as UTC.
 *
 * @example
 * parseTimestamp('2024-05-01 10:00:00 -0500') // Date.UTC(2024, 4, 1, 15)
 */
export function parseTimestamp(text: string): number | null {
  const fast = ISO_UTC.exec(text);
  if (fast) {
    const ms = Date.UTC(+fast[1]!, +fast[2]! - 1, +fast[3]!, +fast[4]!, +fast[5]!, +fast[6]!);
    return validDate(ms, +fast[2]!, +fast[3]!);
  }
  const match = LOOSE.exec(text.trim());
  if (!match) return null;
  const [, date, time = '00:00:00', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${offset}`);
  return Number.isNaN(ms) ? null : validDate(ms, +date!.slice(5, 7), +date!.slice(8, 10));
}

/** Rejects dates that Date.UTC silently rolls over (2024-02-31). */
function validDate(ms: number, month: number, day: number): number | null {
  if (Number.isNaN(ms) || month < 1 || month > 12 || day < 1 || day > 31) return null;
  return ms;
}

const TRUE = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f', '']);

/** Parses a CSV flag; empty means false. */
export function parseFlag(text: string | undefined): boolean | null {
  const value = (text ?? '').trim().toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  return null;
}

/** Trims an email and drops empties; emails are compared case-insensitively elsewhere. */
export function cleanEmail(text: string | null | undefined): string | null {
  const value = (text ?? '').trim();
  return value ? value : null;
}
