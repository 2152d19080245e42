/**
 * A subset of Shopify's search syntax for the `query:` argument of `orders` and `customers`:
 * `field:value`, comparators `:>`, `:>=`, `:<`, `:<=`, quoted values ('…' or "…"), terms joined
 * by whitespace or `AND` (all must hold) and `OR` between groups, `-field:value` negation.
 * https://shopify.dev/docs/api/usage/search-syntax
 */

export type Comparator = '=' | '>' | '>=' | '<' | '<=';

export interface SearchTerm {
  field: string;
  comparator: Comparator;
  value: string;
  negated: boolean;
}

/** OR of AND-groups. An empty query matches everything. */
export type SearchQuery = SearchTerm[][];

/**
 * Parses a search query. Free text (a term without `field:`) is kept with field `''`.
 *
 * @example
 * parseSearchQuery("updated_at:>'2026-01-01T00:00:00Z' id:>100");
 * // [[{ field: 'updated_at', comparator: '>', value: '2026-01-01T00:00:00Z', negated: false },
 * //   { field: 'id', comparator: '>', value: '100', negated: false }]]
 */
export function parseSearchQuery(query: string | null | undefined): SearchQuery {
  const groups: SearchQuery = [[]];
  for (const token of tokenize(query ?? '')) {
    if (token === 'AND') continue;
    if (token === 'OR') {
      groups.push([]);
      continue;
    }
    (groups[groups.length - 1] as SearchTerm[]).push(parseTerm(token));
  }
  return groups.filter((group) => group.length > 0);
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (const char of query) {
    if (quote) {
      current += char;
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
      current += char;
    } else if (/\s/.test(char)) {
      if (current) tokens.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

function parseTerm(token: string): SearchTerm {
  const negated = token.startsWith('-');
  const body = negated ? token.slice(1) : token;
  const match = /^([A-Za-z_][A-Za-z0-9_.]*):(>=|<=|>|<)?(.*)$/.exec(body);
  if (!match) return { field: '', comparator: '=', value: unquote(body), negated };
  return {
    field: (match[1] as string).toLowerCase(),
    comparator: (match[2] as Comparator | undefined) ?? '=',
    value: unquote(match[3] as string),
    negated,
  };
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) return value.slice(1, -1);
  return value;
}

/** How a searchable field reads its value from a row: a time (epoch ms), a number, text or a flag. */
export type FieldReader<Row> =
  | { kind: 'time'; read: (row: Row) => string | null }
  | { kind: 'id'; read: (row: Row) => string | null }
  | { kind: 'text'; read: (row: Row) => string | null | readonly string[] }
  | { kind: 'boolean'; read: (row: Row) => boolean };

/**
 * Builds a predicate from a parsed query. Terms on fields the resource does not support are
 * ignored, as Shopify does (it answers with a search warning instead of an error).
 *
 * @example
 * const matches = compileSearch(parseSearchQuery('id:>5'), { id: { kind: 'id', read: (r: { id: string }) => r.id } });
 * matches({ id: '7' }); // true
 */
export function compileSearch<Row>(query: SearchQuery, fields: Record<string, FieldReader<Row>>): (row: Row) => boolean {
  if (query.length === 0) return () => true;
  const groups = query.map((group) =>
    group.flatMap((term) => {
      const reader = fields[term.field];
      if (!reader) return [];
      const test = termTest(reader, term);
      return [term.negated ? (row: Row) => !test(row) : test];
    }),
  );
  return (row) => groups.some((tests) => tests.every((test) => test(row)));
}

function termTest<Row>(reader: FieldReader<Row>, term: SearchTerm): (row: Row) => boolean {
  switch (reader.kind) {
    case 'time': {
      const wanted = Date.parse(term.value);
      if (Number.isNaN(wanted)) return () => false;
      return (row) => {
        const text = reader.read(row);
        return text !== null && compare(Date.parse(text), wanted, term.comparator);
      };
    }
    case 'id': {
      if (!/^\d+$/.test(term.value)) return () => false;
      const wanted = BigInt(term.value);
      return (row) => {
        const text = reader.read(row);
        return text !== null && compare(BigInt(text), wanted, term.comparator);
      };
    }
    case 'boolean': {
      const wanted = term.value.toLowerCase() === 'true';
      return (row) => reader.read(row) === wanted;
    }
    case 'text': {
      const wanted = term.value.toLowerCase();
      return (row) => {
        const value = reader.read(row);
        const values = value === null ? [] : typeof value === 'string' ? [value] : value;
        return values.some((text) => compare(text.toLowerCase(), wanted, term.comparator));
      };
    }
  }
}

function compare<T extends number | bigint | string>(actual: T, wanted: T, comparator: Comparator): boolean {
  switch (comparator) {
    case '=':
      return actual === wanted;
    case '>':
      return actual > wanted;
    case '>=':
      return actual >= wanted;
    case '<':
      return actual < wanted;
    case '<=':
      return actual <= wanted;
  }
}
