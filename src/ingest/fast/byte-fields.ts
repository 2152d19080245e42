/**
 * Typed column checks on raw bytes for the fast readers. Each accepts only the common, plain
 * shape of its field and returns NOT_PLAIN for anything else, so the caller hands that row to
 * the reference parser (parse-fields.ts, money.ts), which also words the reject reason. For
 * every text they accept they return what the reference parser returns: tested on both sides.
 */

export const NOT_PLAIN = -1;

const ZERO = 0x30;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `buffer[from, from + length)` as a decimal number, NaN unless all ASCII digits. */
function digitsAt(buffer: Buffer, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const digit = buffer[i]! - ZERO;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ` in `buffer[start, end)` as epoch ms, for a real calendar date and
 * time; NOT_PLAIN otherwise (another shape, or a date the reference may reject or word).
 */
export function isoUtcMs(buffer: Buffer, start: number, end: number): number {
  if (end - start !== 20) return NOT_PLAIN;
  if (buffer[start + 4] !== 0x2d || buffer[start + 7] !== 0x2d || buffer[start + 10] !== 0x54 || buffer[start + 13] !== 0x3a || buffer[start + 16] !== 0x3a || buffer[start + 19] !== 0x5a) {
    return NOT_PLAIN;
  }
  const year = digitsAt(buffer, start, 4);
  const month = digitsAt(buffer, start + 5, 2);
  const day = digitsAt(buffer, start + 8, 2);
  const hour = digitsAt(buffer, start + 11, 2);
  const minute = digitsAt(buffer, start + 14, 2);
  const second = digitsAt(buffer, start + 17, 2);
  // NaN fails every comparison, so a non-digit lands here too.
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && year >= 1000)) return NOT_PLAIN;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return NOT_PLAIN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * An unsigned decimal amount (`12`, `12.5`, `0.125`) in `buffer[start, end)` as minor units with
 * `minorDigits` digits, rounded half up on the next digit as parseMoneyToMinorUnits does;
 * NOT_PLAIN for anything else (signs, commas, spaces, empty, more than 15 digits).
 */
export function plainMinorUnits(buffer: Buffer, start: number, end: number, minorDigits: number): number {
  let whole = 0;
  let wholeDigits = 0;
  let i = start;
  for (; i < end; i++) {
    const digit = buffer[i]! - ZERO;
    if (digit < 0 || digit > 9) break;
    whole = whole * 10 + digit;
    wholeDigits++;
  }
  let fraction = 0;
  let fractionDigits = 0;
  let roundUp = 0;
  if (i < end) {
    if (buffer[i] !== 0x2e) return NOT_PLAIN;
    for (i++; i < end; i++) {
      const digit = buffer[i]! - ZERO;
      if (digit < 0 || digit > 9) return NOT_PLAIN;
      if (fractionDigits < minorDigits) fraction = fraction * 10 + digit;
      else if (fractionDigits === minorDigits) roundUp = digit >= 5 ? 1 : 0;
      fractionDigits++;
    }
  }
  if (wholeDigits + fractionDigits === 0 || wholeDigits + minorDigits > 15) return NOT_PLAIN;
  for (let kept = Math.min(fractionDigits, minorDigits); kept < minorDigits; kept++) fraction *= 10;
  return whole * 10 ** minorDigits + fraction + roundUp;
}

/** `''` → 0, `false` → 0, `true` → 1 (the spellings nearly every file uses); NOT_PLAIN otherwise. */
export function plainFlag(buffer: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length === 0) return 0;
  if (length === 5 && buffer[start] === 0x66 && buffer[start + 1] === 0x61 && buffer[start + 2] === 0x6c && buffer[start + 3] === 0x73 && buffer[start + 4] === 0x65) return 0;
  if (length === 4 && buffer[start] === 0x74 && buffer[start + 1] === 0x72 && buffer[start + 2] === 0x75 && buffer[start + 3] === 0x65) return 1;
  return NOT_PLAIN;
}

/** 1 to 9 ASCII digits as a number; NOT_PLAIN otherwise (empty included). */
export function plainCount(buffer: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 9) return NOT_PLAIN;
  const value = digitsAt(buffer, start, end - start);
  return Number.isNaN(value) ? NOT_PLAIN : value;
}

/**
 * Whether `buffer[start, end)` needs no trimming: empty, or its first and last bytes are
 * printable ASCII (String#trim would remove ASCII spaces and controls, and non-ASCII spaces
 * such as U+00A0, whose UTF-8 bytes are all above 0x7F).
 */
export function untrimmed(buffer: Buffer, start: number, end: number): boolean {
  if (end <= start) return true;
  const first = buffer[start]!;
  const last = buffer[end - 1]!;
  return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f;
}
