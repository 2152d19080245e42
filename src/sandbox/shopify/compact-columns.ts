/**
 * Building blocks of the sandbox's compact shop: strings kept once and referred to by a code,
 * ISO times and decimal amounts as numbers that format back to exactly the text they came from
 * (when they would not, the caller keeps the row as an object instead).
 */
import { formatMinorUnits, minorDigits, parseMoneyToMinorUnits } from '../../core/money.ts';

/** Distinct strings by code: tag lists, names, product titles repeat across a shop. */
export class Interner {
  private readonly codes = new Map<string, number>();
  private readonly values: string[] = [];

  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }

  value(code: number): string {
    return this.values[code]!;
  }
}

/** A typed array that grows while a shop loads, handed over at its exact length at the end. */
export class Growable<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array> {
  length = 0;
  constructor(private array: T) {}

  push(value: number): void {
    if (this.length === this.array.length) {
      // 1.5× rather than 2×: less slack at the peak, when the old and the new array both live.
      const next = new (this.array.constructor as new (n: number) => T)(Math.max(1024, Math.ceil(this.array.length * 1.5)));
      next.set(this.array);
      this.array = next;
    }
    this.array[this.length++] = value;
  }

  /** The values pushed, in an array of their exact length; the growable is empty afterwards (its slack is freed). */
  take(): T {
    const taken = (this.length === this.array.length ? this.array : this.array.slice(0, this.length)) as T;
    this.array = new (this.array.constructor as new (n: number) => T)(0);
    this.length = 0;
    return taken;
  }
}

/** ISO time text ↔ epoch ms plus how it was written: 1 with milliseconds (toISOString), 0 without. */
export const isoTime = {
  /** Null when `text` is not in one of the two forms (keep the row as an object). */
  encode(text: string): { ms: number; withMs: boolean } | null {
    const read = readUtcTime(text);
    if (read) return read;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return null;
    const full = new Date(ms).toISOString();
    if (full === text) return { ms, withMs: true };
    if (full.endsWith('.000Z') && `${full.slice(0, -5)}Z` === text) return { ms, withMs: false };
    return null;
  },
  decode(ms: number, withMs: boolean): string {
    const full = new Date(ms).toISOString();
    return withMs ? full : `${full.slice(0, -5)}Z`;
  },
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The decimal digits of `text` from `start` to `end` as a number; NaN if any is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The common case of `isoTime.encode` read field by field, about ten times faster than parsing
 * and printing the time again (a shop's load makes millions): `YYYY-MM-DDTHH:MM:SSZ` or with
 * `.mmm`, a real date from 1970 on, which is exactly the text `decode` writes back. Null for
 * anything else (the caller checks it the slow way).
 */
function readUtcTime(text: string): { ms: number; withMs: boolean } | null {
  const withMs = text.length === 24;
  if (!(withMs || text.length === 20) || text[text.length - 1] !== 'Z' || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return null;
  if (withMs && text[19] !== '.') return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  const milli = withMs ? digitsAt(text, 20, 23) : 0;
  const leapDay = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 1 : 0;
  const valid = year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= (DAYS_IN_MONTH[month - 1] as number) + leapDay && hour <= 23 && minute <= 59 && second <= 59 && milli >= 0;
  return valid ? { ms: Date.UTC(year, month - 1, day, hour, minute, second, milli), withMs } : null;
}

/** An amount as `formatMinorUnits` writes it for a two-digit currency: no sign, no leading zero, two decimals. */
const TWO_DIGIT_AMOUNT = /^(?:0|[1-9]\d{0,12})\.\d\d$/;

/** A decimal amount in minor units, when it formats back to the same text; else null. */
export function encodeMoney(text: string, currency: string): number | null {
  // The common case without the round trip: such text is exactly what formatting its digits gives.
  if (minorDigits(currency) === 2 && TWO_DIGIT_AMOUNT.test(text)) return Number(`${text.slice(0, -3)}${text.slice(-2)}`);
  const minor = parseMoneyToMinorUnits(text, currency);
  return minor !== null && formatMinorUnits(minor, currency) === text ? minor : null;
}

/** A numeric legacy id as a number, when it prints back to the same text; else null. */
export function encodeId(text: string): number | null {
  // Up to 15 digits without a leading zero: a safe integer that prints back the same, read without printing it.
  if (text.length > 0 && text.length <= 15 && (text[0] !== '0' || text.length === 1)) {
    const n = digitsAt(text, 0, text.length);
    if (!Number.isNaN(n)) return n;
  }
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 && String(n) === text ? n : null;
}

/** Where legacy id `id` stands in `ids` (ascending, as loaded in id order), or -1. */
export function indexOfSortedId(ids: Float64Array, id: string): number {
  const target = encodeId(id);
  if (target === null) return -1;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = ids[mid]!;
    if (value === target) return mid;
    if (value < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
