import { seededRandom } from '../../util/seeded-random.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
/** ULID time part of the first id (2026-01-01T00:00:00Z); each id adds one millisecond, so ids sort by creation. */
const ULID_EPOCH_MS = 1_767_225_600_000;

export interface IdSource {
  /** A 26-character ULID like Klaviyo's profile and job ids, e.g. `01KDVDNA00W3N8ZQ6Y3B5H1C2D`. */
  ulid(): string;
  /** A 6-character list id like Klaviyo's, e.g. `Y6nRLr`. */
  listId(): string;
  /** A UUID v4 for error objects, as Klaviyo's error ids are. */
  uuid(): string;
  /** A 6-character segment id (segments and lists share Klaviyo's group id form), e.g. `Tz8aQe`. */
  segmentId(): string;
}

/**
 * Deterministic ids: the same seed and the same sequence of calls give the same ids. Each kind
 * draws from its own seeded stream so that, e.g., an extra error id does not shift profile ids.
 *
 * @example
 * const ids = createIdSource(42);
 * ids.ulid(); // '01KDVDNA00...' (26 chars, Crockford base32), identical on every run with seed 42
 */
export function createIdSource(seed: number): IdSource {
  const ulidRandom = seededRandom(seed);
  const listRandom = seededRandom(seed + 0x1000);
  const uuidRandom = seededRandom(seed + 0x2000);
  const segmentRandom = seededRandom(seed + 0x5000);
  let ulidCount = 0;
  const pick = (alphabet: string, random: () => number, length: number): string => {
    let text = '';
    for (let i = 0; i < length; i += 1) text += alphabet.charAt(Math.floor(random() * alphabet.length));
    return text;
  };
  return {
    ulid() {
      let time = ULID_EPOCH_MS + ulidCount;
      ulidCount += 1;
      let timePart = '';
      for (let i = 0; i < 10; i += 1) {
        timePart = CROCKFORD.charAt(time % 32) + timePart;
        time = Math.floor(time / 32);
      }
      return timePart + pick(CROCKFORD, ulidRandom, 16);
    },
    listId() {
      return pick(ALPHANUMERIC, listRandom, 6);
    },
    segmentId() {
      return pick(ALPHANUMERIC, segmentRandom, 6);
    },
    uuid() {
      const hex = pick(HEX, uuidRandom, 32);
      const variant = HEX.charAt(8 + Math.floor(uuidRandom() * 4));
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
    },
  };
}
