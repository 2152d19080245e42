/**
 * How the order store keeps ids small: a Shopify GID (`gid://shopify/Order/5100003507`) is
 * stored as its number, any other id (an order name, a CSV's id) as the text it is. The columns
 * holding them have no declared type (no affinity), so a text id that looks like a number stays
 * text and never meets a GID's number. Numbers of up to 15 digits only: they read back exactly as
 * JavaScript numbers (below 2^53); a longer one stays text.
 */
const ORDER_GID = 'gid://shopify/Order/';
const CUSTOMER_GID = 'gid://shopify/Customer/';
const CANONICAL_NUMBER = /^[1-9][0-9]{0,14}$/;

/** A stored id: a bigint binds as an SQLite integer (a JavaScript number would bind as a real). */
export type StoredKey = bigint | string;

function encode(prefix: string, id: string): StoredKey {
  if (!id.startsWith(prefix)) return id;
  const digits = id.slice(prefix.length);
  return CANONICAL_NUMBER.test(digits) ? BigInt(digits) : id;
}

function decode(prefix: string, key: number | string): string {
  return typeof key === 'number' ? `${prefix}${key}` : key;
}

/** @example encodeOrderId('gid://shopify/Order/12'); // 12n — encodeOrderId('#1001'); // '#1001' */
export const encodeOrderId = (id: string): StoredKey => encode(ORDER_GID, id);
/** @example decodeOrderId(12); // 'gid://shopify/Order/12' */
export const decodeOrderId = (key: number | string): string => decode(ORDER_GID, key);
/** @example encodeCustomerId('gid://shopify/Customer/7'); // 7n */
export const encodeCustomerId = (id: string): StoredKey => encode(CUSTOMER_GID, id);
/** @example decodeCustomerId(7); // 'gid://shopify/Customer/7' */
export const decodeCustomerId = (key: number | string): string => decode(CUSTOMER_GID, key);

/**
 * SQL giving the customer id of `column` as the rest of the store writes it (a GID's text), for
 * joins with tables keyed by customer id.
 *
 * @example `JOIN holdout_assignments h ON h.customer_id = ${customerIdSql('o.customer_id')}`
 */
export function customerIdSql(column: string): string {
  return `CASE WHEN typeof(${column}) = 'integer' THEN '${CUSTOMER_GID}' || ${column} ELSE ${column} END`;
}
