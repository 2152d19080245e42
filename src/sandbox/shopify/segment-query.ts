/**
 * The subset of Shopify's segment query language the sandbox evaluates
 * (https://shopify.dev/docs/api/shopifyql/segment-query-language-reference): clauses joined by
 * AND / OR (AND binds tighter) and parentheses, where a clause is
 * - `customer_tags CONTAINS 'tag'` / `customer_tags NOT CONTAINS 'tag'` (tags compare
 *   case-insensitively, as Shopify's tags do);
 * - `metafields.<namespace>.<key> <op> <value>` with `=`, `!=`, `>`, `>=`, `<`, `<=` and a quoted
 *   text, a number or `true`/`false`, or `IS NULL` / `IS NOT NULL` (operators as listed in
 *   help.shopify.com/en/manual/customers/customer-segmentation/reference-guide/metafield-segments).
 * Anything else is refused with a message naming what is not supported.
 */
import type { CustomerRow } from './shop-store.ts';

export type SegmentPredicate = (customer: CustomerRow) => boolean;

export class SegmentQueryError extends Error {
  override name = 'SegmentQueryError';
}

type Token = { kind: 'word' | 'string' | 'number' | 'op' | 'paren'; text: string };

const TOKEN = /\s*(?:(\()|(\))|'((?:[^'\\]|\\.)*)'|(!=|>=|<=|=|>|<)|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w.:-]*))/y;

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < query.length) {
    if (/^\s*$/.test(query.slice(position))) break;
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(query);
    if (!match) throw new SegmentQueryError(`Unexpected text at position ${position}: "${query.slice(position, position + 20)}"`);
    position = TOKEN.lastIndex;
    if (match[1] || match[2]) tokens.push({ kind: 'paren', text: (match[1] ?? match[2]) as string });
    else if (match[3] !== undefined) tokens.push({ kind: 'string', text: match[3].replace(/\\(.)/g, '$1') });
    else if (match[4]) tokens.push({ kind: 'op', text: match[4] });
    else if (match[5]) tokens.push({ kind: 'number', text: match[5] });
    else tokens.push({ kind: 'word', text: match[6] as string });
  }
  return tokens;
}

/**
 * Compiles a segment query into a predicate over customers. `definedMetafields` holds the
 * `namespace.key` of the customer metafield definitions: Shopify only filters on defined
 * metafields ("If you created a customer metafield definition, then the metafield can be used
 * as a filter").
 *
 * @example
 * const matches = compileSegmentQuery("customer_tags CONTAINS 'ltv:vip' AND metafields.tiersync.churn_risk > 70", new Set(['tiersync.churn_risk']));
 * matches(customer); // true or false
 */
export function compileSegmentQuery(query: string, definedMetafields: ReadonlySet<string>): SegmentPredicate {
  const tokens = tokenize(query);
  if (tokens.length === 0) throw new SegmentQueryError('Query is empty');
  let index = 0;
  const peek = () => tokens[index];
  const next = () => {
    const token = tokens[index++];
    if (!token) throw new SegmentQueryError('Query ends too early');
    return token;
  };
  const isWord = (token: Token | undefined, word: string) => token?.kind === 'word' && token.text.toUpperCase() === word;

  const parseOr = (): SegmentPredicate => {
    const parts = [parseAnd()];
    while (isWord(peek(), 'OR')) {
      index++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? (parts[0] as SegmentPredicate) : (customer) => parts.some((part) => part(customer));
  };
  const parseAnd = (): SegmentPredicate => {
    const parts = [parseTerm()];
    while (isWord(peek(), 'AND')) {
      index++;
      parts.push(parseTerm());
    }
    return parts.length === 1 ? (parts[0] as SegmentPredicate) : (customer) => parts.every((part) => part(customer));
  };
  const parseTerm = (): SegmentPredicate => {
    const token = next();
    if (token.kind === 'paren' && token.text === '(') {
      const inner = parseOr();
      const close = next();
      if (close.text !== ')') throw new SegmentQueryError(`Expected ")" but found "${close.text}"`);
      return inner;
    }
    if (token.kind !== 'word') throw new SegmentQueryError(`Expected an attribute but found "${token.text}"`);
    if (token.text === 'customer_tags') return parseTagClause();
    if (token.text.startsWith('metafields.')) return parseMetafieldClause(token.text);
    throw new SegmentQueryError(`The sandbox does not evaluate the attribute "${token.text}" (it supports customer_tags and metafields.<namespace>.<key>)`);
  };
  const parseTagClause = (): SegmentPredicate => {
    const negated = isWord(peek(), 'NOT');
    if (negated) index++;
    if (!isWord(next(), 'CONTAINS')) throw new SegmentQueryError('customer_tags takes CONTAINS or NOT CONTAINS');
    const value = next();
    if (value.kind !== 'string') throw new SegmentQueryError('customer_tags CONTAINS takes a quoted tag');
    const wanted = value.text.toLowerCase();
    return (customer) => customer.tags.some((tag) => tag.toLowerCase() === wanted) !== negated;
  };
  const parseMetafieldClause = (attribute: string): SegmentPredicate => {
    const parts = attribute.split('.');
    if (parts.length !== 3) throw new SegmentQueryError(`"${attribute}" must be metafields.<namespace>.<key>`);
    const key = `${parts[1]}.${parts[2]}`;
    if (!definedMetafields.has(key)) throw new SegmentQueryError(`No customer metafield definition for ${key}: define it before filtering on it`);
    const read = (customer: CustomerRow) => customer.metafields.get(key);
    if (isWord(peek(), 'IS')) {
      index++;
      const negated = isWord(peek(), 'NOT');
      if (negated) index++;
      if (!isWord(next(), 'NULL')) throw new SegmentQueryError('IS takes NULL or NOT NULL');
      return (customer) => (read(customer) === undefined) !== negated;
    }
    const operator = next();
    if (operator.kind !== 'op') throw new SegmentQueryError(`Expected a comparison after ${attribute} but found "${operator.text}"`);
    const value = next();
    const compare = comparator(operator.text);
    if (value.kind === 'number') {
      const wanted = Number(value.text);
      return (customer) => {
        const field = read(customer);
        return field !== undefined && field.type.startsWith('number_') && compare(Number(field.value), wanted);
      };
    }
    if (value.kind === 'string' || (value.kind === 'word' && /^(true|false)$/i.test(value.text))) {
      if (operator.text !== '=' && operator.text !== '!=') throw new SegmentQueryError(`${operator.text} compares numbers only`);
      const wanted = value.kind === 'string' ? value.text : value.text.toLowerCase();
      return (customer) => {
        const field = read(customer);
        return field !== undefined && (field.value === wanted) === (operator.text === '=');
      };
    }
    throw new SegmentQueryError(`Expected a value after ${attribute} ${operator.text} but found "${value.text}"`);
  };

  const predicate = parseOr();
  if (index < tokens.length) throw new SegmentQueryError(`Unexpected "${(tokens[index] as Token).text}"`);
  return predicate;
}

function comparator(op: string): (a: number, b: number) => boolean {
  switch (op) {
    case '=':
      return (a, b) => a === b;
    case '!=':
      return (a, b) => a !== b;
    case '>':
      return (a, b) => a > b;
    case '>=':
      return (a, b) => a >= b;
    case '<':
      return (a, b) => a < b;
    default:
      return (a, b) => a <= b;
  }
}
