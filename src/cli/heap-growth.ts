import { setFlagsFromString } from 'node:v8';

/**
 * How far a sync lets V8's old generation grow past what its last full GC kept, in percent.
 * V8 picks the factor itself, up to 4× for a heap allowed over a gigabyte (the default on
 * 64-bit), and a sync makes garbage fast (journal payloads, JSONL and import bodies, parsed
 * lines): at 100,000 customers the apply's heap reached 651 MB over 160–180 MB live, and the
 * process's RSS 945 MB, though the live data never grew past the per-customer columns and one
 * chunk. 50 lets it reach 1.5× what is live: more full GCs, at a price measured by
 * scripts/bench-sync.ts (its CPU seconds).
 */
export const SYNC_HEAP_GROWING_PERCENT = 50;

/**
 * Caps V8's heap growth for the rest of this process (`--heap-growing-percent`). V8 reads the
 * flag each time it sets the next GC limit, so setting it at run time takes effect; Node warns
 * that flags changed after start-up may behave unpredictably, and this one was measured to
 * do what it says (scripts/bench-sync.ts, per-phase heap peaks).
 *
 * @example
 * limitHeapGrowth(); // before a sync, or before the sandbox starts
 */
export function limitHeapGrowth(percent: number = SYNC_HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
