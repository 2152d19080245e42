import { invalid } from './errors.ts';

/**
 * Klaviyo's `filter` query parameter (developers.klaviyo.com/en/v2026-07-15/reference/api-overview#filtering):
 * `equals(email,"a@b.com")`, `any(email,["a@b.com","c@d.com"])`, and on date-time fields
 * `greater-than(updated,2023-04-19T00:00:00Z)`, `less-than(…)` (and `greater-or-equal`,
 * `less-or-equal` where an endpoint documents them), several conditions joined by `and(...)` or by
 * top-level commas; strings in single or double quotes. A date-time range is two conditions, as
 * in the changelog's example `less-than(updated,2023-04-26T00:00:00Z),greater-than(updated,2023-04-19T00:00:00Z)`.
 * Each endpoint allows the fields and operators its OpenAPI `filter` parameter lists.
 */

export const COMPARISONS = ['greater-than', 'less-than', 'greater-or-equal', 'less-or-equal'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export type FilterOperator = 'equals' | 'any' | Comparison;

export interface FilterCondition {
  operator: FilterOperator;
  field: string;
  values: string[];
}

/** Fields an endpoint filters on, each with its operators; a plain list means `equals` and `any`. */
export type FilterFields = readonly string[] | Readonly<Record<string, readonly FilterOperator[]>>;

/**
 * Whether a date-time comparison holds for a value in epoch ms (the condition's value was
 * checked to be a date-time when parsed).
 *
 * @example
 * comparisonHolds({ operator: 'greater-than', field: 'updated', values: ['2023-04-19T00:00:00Z'] }, Date.parse('2023-04-20')); // true
 */
export function comparisonHolds(condition: FilterCondition, valueMs: number): boolean {
  const bound = Date.parse(condition.values[0] as string);
  switch (condition.operator) {
    case 'greater-than':
      return valueMs > bound;
    case 'less-than':
      return valueMs < bound;
    case 'greater-or-equal':
      return valueMs >= bound;
    case 'less-or-equal':
      return valueMs <= bound;
    default:
      throw new Error(`comparisonHolds: ${condition.operator} is not a comparison`);
  }
}

type Value = string | Value[];

/**
 * Parses a filter into conditions that must all hold. Throws Klaviyo's 400 (`source.parameter:
 * "filter"`) for bad syntax, an operator the field does not allow, a field not in `allowed`, or
 * a comparison whose value is not a date-time.
 *
 * @example
 * parseFilter('any(email,["a@x.com","b@x.com"])', ['email']);
 * // [{ operator: 'any', field: 'email', values: ['a@x.com', 'b@x.com'] }]
 */
export function parseFilter(text: string, allowed: FilterFields): FilterCondition[] {
  const operatorsOf = (field: string): readonly FilterOperator[] | undefined =>
    Array.isArray(allowed) ? ((allowed as readonly string[]).includes(field) ? ['equals', 'any'] : undefined) : (allowed as Record<string, readonly FilterOperator[]>)[field];
  const allowedFields = Array.isArray(allowed) ? (allowed as readonly string[]) : Object.keys(allowed);
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
    if (operator !== 'equals' && operator !== 'any' && !(COMPARISONS as readonly string[]).includes(operator)) {
      throw filterError(`Unsupported operator "${operator}" in filter "${text}".`);
    }
    const field = parser.readWord();
    const operators = operatorsOf(field);
    if (operators === undefined) {
      throw filterError(`"${field}" is not a valid field for the filter; allowed: ${allowedFields.join(', ')}.`);
    }
    if (!operators.includes(operator as FilterOperator)) {
      throw filterError(`"${operator}" is not a valid operator for ${field}; allowed: ${operators.join(', ')}.`);
    }
    parser.expect(',');
    const value = parser.readValue();
    parser.expect(')');
    if (operator === 'equals' && typeof value !== 'string') throw filterError(`equals(${field}, …) takes a single value.`);
    if (operator === 'any' && !Array.isArray(value)) throw filterError(`any(${field}, …) takes a list of values.`);
    if (operator !== 'equals' && operator !== 'any' && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
      throw filterError(`${operator}(${field}, …) takes a date-time such as 2023-04-19T00:00:00Z; got ${JSON.stringify(value)}.`);
    }
    const values = Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))) : [value];
    conditions.push({ operator: operator as FilterOperator, field, values });
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
