/**
 * Splits a global id `gid://shopify/<Type>/<numeric id>`.
 *
 * @example
 * parseGid('gid://shopify/Customer/7100000001'); // { type: 'Customer', id: '7100000001' }
 */
export function parseGid(gid: string): { type: string; id: string } | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(gid);
  return match ? { type: match[1] as string, id: match[2] as string } : null;
}
