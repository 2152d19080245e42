import { invalid } from './errors.ts';

/**
 * Cursor pagination as Klaviyo does it: `page[size]` (endpoint default and maximum from the OpenAPI
 * parameter, e.g. get_profiles 20/100, get_lists 10/10), `page[cursor]` opaque, `links.next` an
 * absolute URL carrying the next cursor. The sandbox's cursor encodes the sequence number of the
 * last item served, so items added or removed meanwhile do not shift pages.
 */

export interface PageRequest {
  size: number;
  afterSeq: number;
}

/**
 * Reads `page[size]` and `page[cursor]`; a size outside 1..max or a cursor the sandbox did not
 * issue is Klaviyo's 400 ("Invalid cursor provided." as in klaviyo-api-python#9).
 *
 * @example
 * readPageRequest(new URLSearchParams('page[size]=50'), { defaultSize: 20, maxSize: 100 }); // { size: 50, afterSeq: -1 }
 */
export function readPageRequest(query: URLSearchParams, limits: { defaultSize: number; maxSize: number }): PageRequest {
  const sizeText = query.get('page[size]');
  const size = sizeText === null ? limits.defaultSize : Number(sizeText);
  if (!Number.isInteger(size) || size < 1 || size > limits.maxSize) {
    throw invalid(`Page size must be an integer between 1 and ${limits.maxSize}.`, { parameter: 'page[size]' });
  }
  const cursor = query.get('page[cursor]');
  if (cursor === null) return { size, afterSeq: -1 };
  const decoded = /^s(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!decoded) throw invalid('Invalid cursor provided.', { parameter: 'page[cursor]' });
  return { size, afterSeq: Number(decoded[1]) };
}

/** Items in ascending `seq` order, read by position (an array, or the store's profile columns). */
export interface Sequence<T> {
  readonly length: number;
  seqAt(index: number): number;
  at(index: number): T;
}

/** @example inOrder([{ seq: 1 }, { seq: 4 }]).seqAt(1); // 4 */
export function inOrder<T extends { seq: number }>(items: readonly T[]): Sequence<T> {
  return { length: items.length, seqAt: (index) => (items[index] as T).seq, at: (index) => items[index] as T };
}

/**
 * Takes one page from `items` (sorted by ascending `seq`) after the cursor, keeping only items that
 * pass `keep`, and builds the collection links. The start is found by binary search, so paging
 * through a large collection costs one page a request, not the whole collection.
 *
 * @example
 * const page = takePage(inOrder(items), request, 'http://127.0.0.1:5/api/profiles', query);
 * page.links.next; // 'http://127.0.0.1:5/api/profiles?page%5Bsize%5D=20&page%5Bcursor%5D=czE5' when more remain
 */
export function takePage<T>(
  items: Sequence<T>,
  request: PageRequest,
  selfUrl: string,
  query: URLSearchParams,
  keep: (item: T) => boolean = () => true,
): { items: T[]; links: { self: string; next?: string } } {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (items.seqAt(middle) <= request.afterSeq) low = middle + 1;
    else high = middle;
  }
  const page: T[] = [];
  let lastSeq = -1;
  let more = false;
  for (let index = low; index < items.length; index += 1) {
    const item = items.at(index);
    if (!keep(item)) continue;
    if (page.length === request.size) {
      more = true;
      break;
    }
    page.push(item);
    lastSeq = items.seqAt(index);
  }
  const self = query.size === 0 ? selfUrl : `${selfUrl}?${query.toString()}`;
  if (!more || page.length === 0) return { items: page, links: { self } };
  const next = new URLSearchParams(query);
  next.set('page[cursor]', Buffer.from(`s${lastSeq}`, 'utf8').toString('base64url'));
  return { items: page, links: { self, next: `${selfUrl}?${next.toString()}` } };
}
