import { hash } from 'node:crypto';

/**
 * Holdouts (docs/DESIGN.md "Activation"; seed 000: "holding a control group constant"): a stable
 * share of every segment kept out of the action lists, so that `lift` can compare treated and
 * held-out customers. Customers are ordered by a hash of a per-store salt and their id: the
 * order is random with respect to anything about the customer, yet the same every run.
 */

/** Cohort sizes already assigned in one segment (segment at assignment). */
export interface AssignedSoFar {
  readonly assigned: number;
  readonly heldOut: number;
}

/**
 * A customer's place in the holdout order: hex SHA-256 of `salt:customerId`.
 *
 * @example
 * holdoutHash('5f3a', 'gid://shopify/Customer/1'); // 64 hex digits, the same every call
 */
export function holdoutHash(salt: string, customerId: string): string {
  return hash('sha256', `${salt}:${customerId}`);
}

/**
 * Chooses which of a segment's newly assigned customers are held out: the first ones in hash
 * order, as many as keep the segment's whole cohort (earlier assignments included) at
 * round(share × size). Exact per segment, where a coin flip per customer would leave a
 * 300-customer segment anywhere between 7% and 13%.
 *
 * @example
 * selectHoldouts(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], 'salt', 0.1, { assigned: 0, heldOut: 0 }).size; // 1
 */
export function selectHoldouts(candidates: readonly string[], salt: string, share: number, before: AssignedSoFar): Set<string> {
  const target = Math.round(share * (before.assigned + candidates.length)) - before.heldOut;
  const count = Math.max(0, Math.min(candidates.length, target));
  if (count === 0) return new Set();
  // The hash's first 48 bits as a number: a typed-array sort finds the count-th smallest key
  // several times faster than sorting hex strings (500,000 candidates), and ties, rare at 48
  // bits, are broken by id so that the choice never depends on the input order.
  const keys = new Float64Array(candidates.length);
  candidates.forEach((id, index) => (keys[index] = Number.parseInt(holdoutHash(salt, id).slice(0, 12), 16)));
  const threshold = keys.slice().sort()[count - 1]!;
  const chosen = new Set<string>();
  const tied: string[] = [];
  candidates.forEach((id, index) => {
    if (keys[index]! < threshold) chosen.add(id);
    else if (keys[index] === threshold) tied.push(id);
  });
  for (const id of tied.sort()) if (chosen.size < count) chosen.add(id);
  return chosen;
}

/**
 * A new store's salt: 16 hex digits from the injected random source (four 16-bit draws).
 *
 * @example
 * newHoldoutSalt(seededRandom(1)); // e.g. '9c1f04ab77d2e310'
 */
export function newHoldoutSalt(random: () => number): string {
  let salt = '';
  for (let i = 0; i < 4; i++) salt += Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return salt;
}
