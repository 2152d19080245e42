/**
 * Building blocks of the sandbox's compact shop: strings kept once and referred to by a code,
 * ISO times and decimal amounts as numbers that format back to exactly the text they came from
 * (when they would not, the caller keeps the row as an object instead).
 */
import { formatMinorUnits, parseMoneyToMinorUnits } from '../../core/money.ts';

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

/** A decimal amount in minor units, when it formats back to the same text; else null. */
export function encodeMoney(text: string, currency: string): number | null {
  const minor = parseMoneyToMinorUnits(text, currency);
  return minor !== null && formatMinorUnits(minor, currency) === text ? minor : null;
}

/** A numeric legacy id as a number, when it prints back to the same text; else null. */
export function encodeId(text: string): number | null {
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
