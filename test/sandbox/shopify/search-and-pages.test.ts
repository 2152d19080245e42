import { describe, expect, it } from 'vitest';
import { buildSortedView, decodeCursor, encodeCursor, InvalidCursorError, paginate } from '../../../src/sandbox/shopify/pagination.ts';
import { compileSearch, parseSearchQuery } from '../../../src/sandbox/shopify/search-query.ts';
import type { FieldReader } from '../../../src/sandbox/shopify/search-query.ts';

interface Row {
  id: string;
  updatedAt: string;
  email: string | null;
  tags: string[];
}

const FIELDS: Record<string, FieldReader<Row>> = {
  id: { kind: 'id', read: (row) => row.id },
  updated_at: { kind: 'time', read: (row) => row.updatedAt },
  email: { kind: 'text', read: (row) => row.email },
  tag: { kind: 'text', read: (row) => row.tags },
};

const rows: Row[] = [
  { id: '9', updatedAt: '2026-01-01T00:00:00Z', email: 'a@x.com', tags: ['vip'] },
  { id: '10', updatedAt: '2026-02-01T00:00:00Z', email: null, tags: [] },
  { id: '11', updatedAt: '2026-03-01T00:00:00Z', email: 'C@x.com', tags: ['VIP', 'b'] },
];

const ids = (query: string) => rows.filter(compileSearch(parseSearchQuery(query), FIELDS)).map((row) => row.id);

describe('search query', () => {
  it('parses comparators and quoted values', () => {
    expect(parseSearchQuery(`updated_at:>='2026-02-01T00:00:00Z' -email:a@x.com`)).toEqual([
      [
        { field: 'updated_at', comparator: '>=', value: '2026-02-01T00:00:00Z', negated: false },
        { field: 'email', comparator: '=', value: 'a@x.com', negated: true },
      ],
    ]);
  });

  it('compares times, numeric ids (not text), text case-insensitively and lists', () => {
    expect(ids(`updated_at:>'2026-02-01T00:00:00Z'`)).toEqual(['11']);
    expect(ids(`updated_at:>='2026-02-01T00:00:00Z'`)).toEqual(['10', '11']);
    expect(ids('id:>9')).toEqual(['10', '11']);
    expect(ids('email:c@x.com')).toEqual(['11']);
    expect(ids('tag:vip')).toEqual(['9', '11']);
  });

  it('ANDs terms, ORs groups and ignores unknown fields', () => {
    expect(ids('tag:vip id:<11')).toEqual(['9']);
    expect(ids('tag:vip AND id:<11')).toEqual(['9']);
    expect(ids('id:9 OR id:10')).toEqual(['9', '10']);
    expect(ids('colour:red')).toEqual(['9', '10', '11']);
  });
});

describe('paginate', () => {
  const view = buildSortedView(
    Array.from({ length: 7 }, (_, index) => ({ id: String(100 + index), value: [5, 3, 5, 1, 9, 3, 7][index] as number })),
    (row) => row.value,
  );
  const all = () => true;

  it('sorts by value then id', () => {
    expect(Array.from(view.ids, String)).toEqual(['103', '101', '105', '100', '102', '106', '104']);
  });

  it('walks forward page by page covering every row once', () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = paginate(view, { first: 3, after }, all);
      seen.push(...page.ids);
      pages += 1;
      expect(page.hasPreviousPage).toBe(after !== undefined);
      if (!page.hasNextPage) break;
      after = encodeCursor(page.keys[page.keys.length - 1]!);
    }
    expect(seen).toEqual(Array.from(view.ids, String));
    expect(pages).toBe(3);
  });

  it('reverses, takes the last rows before a cursor, and filters', () => {
    expect(paginate(view, { first: 2, reverse: true }, all).ids).toEqual(['104', '106']);
    const page = paginate(view, { first: 3 }, all);
    expect(paginate(view, { last: 2, before: encodeCursor(page.keys[2]!) }, all).ids).toEqual(['103', '101']);
    expect(paginate(view, { first: 10 }, (id) => Number(id) % 2 === 0).ids).toEqual(['100', '102', '106', '104']);
  });

  it('resumes after a cursor even when that row is gone', () => {
    const cursor = encodeCursor(paginate(view, { first: 4 }, all).keys[3]!);
    const smaller = buildSortedView([{ id: '102', value: 9 }, { id: '104', value: 7 }], (row) => row.value);
    expect(paginate(smaller, { first: 5, after: cursor }, all).ids).toEqual(['104', '102']);
  });

  it('rejects a cursor it did not make', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrow(InvalidCursorError);
  });
});
