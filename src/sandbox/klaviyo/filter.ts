import { invalid } from './errors.ts';

/**
 * Klaviyo's `filter` query parameter (developers.klaviyo.com/en/v2026-07-15/reference/api-overview#filtering):
 * `equals(email,"a@b.com")`, `any(email,["a@b.com","c@d.com"])`, several conditions joined by
 * `and(...)` or by top-level commas; strings in single or double quotes. The sandbox supports the
 * `equals` and `any` operators on the fields each endpoint allows.
 */

export interface FilterCondition {
  operator: 'equals' | 'any';
  field: string;
  values: string[];
}

type Value = string | Value[];

/**
 * Parses a filter into conditions that must all hold. Throws Klaviyo's 400 (`source.parameter:
 * "filter"`) for bad syntax, an unsupported operator or a field not in `allowedFields`.
 *
 * @example
 * parseFilter('any(email,["a@x.com","b@x.com"])', ['email']);
 * // [{ operator: 'any', field: 'email', values: ['a@x.com', 'b@x.com'] }]
 */
export function parseFilter(text: string, allowedFields: readonly string[]): FilterCondition[] {
  const parser = createParser(text);
  const conditions: FilterCondition[] = [];
  const readCondition = (): void => {
    const operator = parser.readWord();
    parser.expect('(');
    if (operator === 'and') {
      readCondition();
      while (parser.tryRead(',')) readCondition();
      parser.expect(')');
      return;
    }
    if (operator !== 'equals' && operator !== 'any') throw filterError(`Unsupported operator "${operator}" in filter "${text}".`);
    const field = parser.readWord();
    if (!allowedFields.includes(field)) {
      throw filterError(`"${field}" is not a valid field for the filter; allowed: ${allowedFields.join(', ')}.`);
    }
    parser.expect(',');
    const value = parser.readValue();
    parser.expect(')');
    if (operator === 'equals' && typeof value !== 'string') throw filterError(`equals(${field}, …) takes a single value.`);
    if (operator === 'any' && !Array.isArray(value)) throw filterError(`any(${field}, …) takes a list of values.`);
    const values = Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))) : [value];
    conditions.push({ operator, field, values });
  };
  readCondition();
  while (parser.tryRead(',')) readCondition();
  if (!parser.atEnd()) throw filterError(`Unexpected text at position ${parser.position()} of filter "${text}".`);
  return conditions;
}

function filterError(detail: string): Error {
  return invalid(detail, { parameter: 'filter' });
}

function createParser(text: string) {
  let index = 0;
  const skipSpaces = (): void => {
    while (index < text.length && /\s/.test(text.charAt(index))) index += 1;
  };
  const fail = (what: string): never => {
    throw filterError(`Invalid filter "${text}": expected ${what} at position ${index}.`);
  };
  const readString = (quote: string): string => {
    index += 1;
    let value = '';
    while (index < text.length && text.charAt(index) !== quote) {
      if (text.charAt(index) === '\\' && index + 1 < text.length) index += 1;
      value += text.charAt(index);
      index += 1;
    }
    if (index >= text.length) fail(`closing ${quote}`);
    index += 1;
    return value;
  };
  const parser = {
    position: () => index,
    atEnd: () => {
      skipSpaces();
      return index >= text.length;
    },
    readWord(): string {
      skipSpaces();
      const match = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(text.slice(index));
      if (!match) return fail('a name');
      index += match[0].length;
      return match[0];
    },
    expect(token: string): void {
      skipSpaces();
      if (text.charAt(index) !== token) fail(`"${token}"`);
      index += 1;
    },
    tryRead(token: string): boolean {
      skipSpaces();
      if (text.charAt(index) !== token) return false;
      index += 1;
      return true;
    },
    readValue(): Value {
      skipSpaces();
      const char = text.charAt(index);
      if (char === '"' || char === "'") return readString(char);
      if (char === '[') {
        index += 1;
        const items: Value[] = [];
        if (parser.tryRead(']')) return items;
        do items.push(parser.readValue());
        while (parser.tryRead(','));
        parser.expect(']');
        return items;
      }
      const match = /^[^,()\[\]\s]+/.exec(text.slice(index));
      if (!match) return fail('a value');
      index += match[0].length;
      return match[0];
    },
  };
  return parser;
}
