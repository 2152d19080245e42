/**
 * Relay cursor pagination over a sorted view of rows, the way the Admin API pages its
 * connections: opaque cursors that encode the last row's sort value and id, `first`/`after`,
 * `last`/`before` and `reverse`. https://shopify.dev/docs/api/usage/pagination-graphql
 *
 * A view is two typed arrays (16 bytes a row, 8 when sorting by id), not an object per row, so
 * the views of a shop of millions of orders stay small. Ids are numeric legacy ids and sort
 * values epoch milliseconds or ids, all integers below 2^53, so a double holds them exactly.
 */

/** A sort position: the sort value (epoch ms or numeric id) then the numeric id as tie-break. */
export interface SortKey {
  value: number;
  id: number;
}

/** Rows in ascending (value, id) order. */
export interface SortedView {
  readonly length: number;
  /** Numeric ids by position. */
  readonly ids: Float64Array;
  /** Sort values by position (the `ids` array itself when sorting by id). */
  readonly values: Float64Array;
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
  /** Each row's sort key, which `encodeCursor` turns into its cursor (only when a client reads it). */
  keys: SortKey[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** Thrown for a cursor this view did not produce. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

/** The row id at `position`, as the text the store knows it by. */
export const idAt = (view: SortedView, position: number): string => String(view.ids[position]);

/**
 * Sorts rows given as parallel columns: `ids[i]` and `values[i]` (pass the same array for both
 * to sort by id). The inputs are not changed.
 *
 * @example
 * sortColumns(Float64Array.of(10, 2), Float64Array.of(5, 5)).ids; // Float64Array [2, 10]
 */
export function sortColumns(ids: Float64Array, values: Float64Array): SortedView {
  if (values === ids) {
    const sorted = ids.slice().sort();
    return { length: sorted.length, ids: sorted, values: sorted };
  }
  const order = new Uint32Array(ids.length);
  for (let i = 0; i < order.length; i += 1) order[i] = i;
  order.sort((a, b) => (values[a] as number) - (values[b] as number) || (ids[a] as number) - (ids[b] as number));
  const sortedIds = new Float64Array(order.length);
  const sortedValues = new Float64Array(order.length);
  for (let i = 0; i < order.length; i += 1) {
    sortedIds[i] = ids[order[i] as number] as number;
    sortedValues[i] = values[order[i] as number] as number;
  }
  return { length: order.length, ids: sortedIds, values: sortedValues };
}

/**
 * Sorts a small list of rows by a key. Ids are numeric legacy ids, compared as integers.
 *
 * @example
 * Array.from(buildSortedView([{ id: '2' }, { id: '10' }], (row) => Number(row.id)).ids); // [2, 10]
 */
export function buildSortedView<Row extends { id: string }>(rows: Iterable<Row>, value: (row: Row) => number): SortedView {
  const ids: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    ids.push(Number(row.id));
    values.push(value(row));
  }
  return sortColumns(Float64Array.from(ids), Float64Array.from(values));
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
  const count = view.length;
  // Positions count in the order the client reads: ascending keys, or descending if `reverse`.
  const order = (position: number): number => (reverse ? count - 1 - position : position);
  const accepts = (position: number): boolean => matches(idAt(view, order(position)));
  const from = startAfter
    ? reverse
      ? count - lowerBound(view, startAfter)
      : upperBound(view, startAfter)
    : 0;
  const to = endBefore
    ? reverse
      ? count - 1 - upperBound(view, endBefore)
      : lowerBound(view, endBefore) - 1
    : count - 1;

  const picked: number[] = [];
  if (args.last != null && args.first == null) {
    for (let position = to; position >= from && picked.length <= args.last; position -= 1) {
      if (accepts(position)) picked.push(position);
    }
    const hasPreviousPage = picked.length > args.last;
    const kept = picked.slice(0, args.last).reverse();
    return toPage(view, kept.map(order), hasPreviousPage, endBefore !== null && anyAccepted(accepts, to + 1, count - 1));
  }
  const limit = args.first ?? count;
  for (let position = from; position <= to && picked.length <= limit; position += 1) {
    if (accepts(position)) picked.push(position);
  }
  const hasNextPage = picked.length > limit;
  const kept = picked.slice(0, limit);
  return toPage(view, kept.map(order), startAfter !== null && anyAccepted(accepts, 0, from - 1), hasNextPage);
}

function toPage(view: SortedView, indexes: number[], hasPreviousPage: boolean, hasNextPage: boolean): Page {
  return {
    ids: indexes.map((index) => idAt(view, index)),
    keys: indexes.map((index) => ({ value: view.values[index] as number, id: view.ids[index] as number })),
    hasNextPage,
    hasPreviousPage,
  };
}

function anyAccepted(accepts: (position: number) => boolean, from: number, to: number): boolean {
  for (let position = from; position <= to; position += 1) if (accepts(position)) return true;
  return false;
}

function lowerBound(view: SortedView, key: SortKey): number {
  let low = 0;
  let high = view.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareAt(view, middle, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function upperBound(view: SortedView, key: SortKey): number {
  let low = 0;
  let high = view.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareAt(view, middle, key) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function compareAt(view: SortedView, position: number, key: SortKey): number {
  const value = view.values[position] as number;
  if (value !== key.value) return value < key.value ? -1 : 1;
  const id = view.ids[position] as number;
  if (id !== key.id) return id < key.id ? -1 : 1;
  return 0;
}

/**
 * Shopify's cursors are base64 JSON of the last row's id and sort value; clients treat them
 * as opaque.
 *
 * @example
 * decodeCursor(encodeCursor({ value: 5, id: 7 })); // { value: 5, id: 7 }
 */
export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify({ last_id: String(key.id), last_value: String(key.value) })).toString('base64');
}

export function decodeCursor(cursor: string): SortKey {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown; last_value?: unknown };
    if (typeof parsed.last_id === 'string' && typeof parsed.last_value === 'string') {
      // BigInt accepts integer text only (it throws on anything else, as a foreign cursor may hold).
      return { id: Number(BigInt(parsed.last_id)), value: Number(BigInt(parsed.last_value)) };
    }
  } catch (error) {
    throw new InvalidCursorError(`Invalid cursor for current pagination sort: ${cursor}`, { cause: error });
  }
  throw new InvalidCursorError(`Invalid cursor for current pagination sort: ${cursor}`);
}
