/**
 * Relay cursor pagination over a sorted view of rows, the way the Admin API pages its
 * connections: opaque cursors that encode the last row's sort value and id, `first`/`after`,
 * `last`/`before` and `reverse`. https://shopify.dev/docs/api/usage/pagination-graphql
 */

/** A sort position: the sort value (epoch ms or numeric id) then the numeric id as tie-break. */
export interface SortKey {
  value: bigint;
  id: bigint;
}

export interface SortedView {
  /** Row ids in ascending key order. */
  ids: readonly string[];
  keys: readonly SortKey[];
}

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Page {
  ids: string[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** Thrown for a cursor this view did not produce. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

/**
 * Sorts rows by a key. Ids are numeric legacy ids, compared as integers.
 *
 * @example
 * buildSortedView([{ id: '2' }, { id: '10' }], (row) => BigInt(row.id)).ids; // ['2', '10']
 */
export function buildSortedView<Row extends { id: string }>(rows: Iterable<Row>, value: (row: Row) => bigint): SortedView {
  const entries: { id: string; key: SortKey }[] = [];
  for (const row of rows) entries.push({ id: row.id, key: { value: value(row), id: BigInt(row.id) } });
  entries.sort((a, b) => compareKeys(a.key, b.key));
  return { ids: entries.map((entry) => entry.id), keys: entries.map((entry) => entry.key) };
}

/**
 * Takes one page of the rows that `matches` accepts. `first` and `last` are assumed already
 * checked by the caller (the cost calculation rejects a missing or oversized page).
 *
 * @example
 * const page = paginate(view, { first: 10 }, () => true);
 * page.ids.length; // at most 10
 */
export function paginate(view: SortedView, args: PageArgs, matches: (id: string) => boolean): Page {
  const reverse = args.reverse === true;
  const startAfter = args.after ? decodeCursor(args.after) : null;
  const endBefore = args.before ? decodeCursor(args.before) : null;
  const count = view.ids.length;
  // Positions count in the order the client reads: ascending keys, or descending if `reverse`.
  const order = (position: number): number => (reverse ? count - 1 - position : position);
  const from = startAfter
    ? reverse
      ? count - lowerBound(view.keys, startAfter)
      : upperBound(view.keys, startAfter)
    : 0;
  const to = endBefore
    ? reverse
      ? count - 1 - upperBound(view.keys, endBefore)
      : lowerBound(view.keys, endBefore) - 1
    : count - 1;

  const picked: number[] = [];
  if (args.last != null && args.first == null) {
    for (let position = to; position >= from && picked.length <= args.last; position -= 1) {
      if (matches(view.ids[order(position)] as string)) picked.push(position);
    }
    const hasPreviousPage = picked.length > args.last;
    const kept = picked.slice(0, args.last).reverse();
    return toPage(view, kept.map(order), hasPreviousPage, endBefore !== null && anyMatch(view, order, to + 1, count - 1, matches));
  }
  const limit = args.first ?? view.ids.length;
  for (let position = from; position <= to && picked.length <= limit; position += 1) {
    if (matches(view.ids[order(position)] as string)) picked.push(position);
  }
  const hasNextPage = picked.length > limit;
  const kept = picked.slice(0, limit);
  return toPage(view, kept.map(order), startAfter !== null && anyMatch(view, order, 0, from - 1, matches), hasNextPage);
}

function toPage(view: SortedView, indexes: number[], hasPreviousPage: boolean, hasNextPage: boolean): Page {
  return {
    ids: indexes.map((index) => view.ids[index] as string),
    cursors: indexes.map((index) => encodeCursor(view.keys[index] as SortKey)),
    hasNextPage,
    hasPreviousPage,
  };
}

function anyMatch(view: SortedView, order: (index: number) => number, from: number, to: number, matches: (id: string) => boolean): boolean {
  for (let position = from; position <= to; position += 1) if (matches(view.ids[order(position)] as string)) return true;
  return false;
}

function lowerBound(keys: readonly SortKey[], key: SortKey): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(keys[middle] as SortKey, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function upperBound(keys: readonly SortKey[], key: SortKey): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(keys[middle] as SortKey, key) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/**
 * Shopify's cursors are base64 JSON of the last row's id and sort value; clients treat them
 * as opaque.
 *
 * @example
 * decodeCursor(encodeCursor({ value: 5n, id: 7n })); // { value: 5n, id: 7n }
 */
export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify({ last_id: key.id.toString(), last_value: key.value.toString() })).toString('base64');
}

export function decodeCursor(cursor: string): SortKey {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown; last_value?: unknown };
    if (typeof parsed.last_id === 'string' && typeof parsed.last_value === 'string') {
      return { id: BigInt(parsed.last_id), value: BigInt(parsed.last_value) };
    }
  } catch (error) {
    throw new InvalidCursorError(`Invalid cursor for current pagination sort: ${cursor}`, { cause: error });
  }
  throw new InvalidCursorError(`Invalid cursor for current pagination sort: ${cursor}`);
}
