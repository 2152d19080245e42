import { pickOne, type Random } from './distributions.ts';

/** A name as shown, with the ASCII spelling used to build an email address. */
type Name = readonly [display: string, ascii: string];

const FIRST_NAMES: readonly Name[] = [
  ['Emma', 'emma'], ['Liam', 'liam'], ['Olivia', 'olivia'], ['Noah', 'noah'], ['Ava', 'ava'],
  ['Ethan', 'ethan'], ['Mia', 'mia'], ['Lucas', 'lucas'], ['Sofia', 'sofia'], ['James', 'james'],
  ['Zoë', 'zoe'], ['Łukasz', 'lukasz'], ['José', 'jose'], ['Chloé', 'chloe'], ['Søren', 'soren'],
  ['Björn', 'bjorn'], ['Inès', 'ines'], ['Małgorzata', 'malgorzata'], ['Nuño', 'nuno'], ['Ayşe', 'ayse'],
  ['太郎', 'taro'], ['花子', 'hanako'], ['Priya', 'priya'], ['Mohammed', 'mohammed'], ['Grace', 'grace'],
  ['Oliver', 'oliver'], ['Amelia', 'amelia'], ['Mateo', 'mateo'], ['Hannah', 'hannah'], ['Daniel', 'daniel'],
];

const LAST_NAMES: readonly Name[] = [
  ['Smith', 'smith'], ['Johnson', 'johnson'], ['Brown', 'brown'], ['Garcia', 'garcia'], ['Miller', 'miller'],
  ['Davis', 'davis'], ['Martin', 'martin'], ['Wilson', 'wilson'], ['Taylor', 'taylor'], ['Anderson', 'anderson'],
  ['Müller', 'muller'], ['Nowak', 'nowak'], ['Peña', 'pena'], ['Lefèvre', 'lefevre'], ['Ødegaard', 'odegaard'],
  ['Kowalczyk', 'kowalczyk'], ['Yılmaz', 'yilmaz'], ['Núñez', 'nunez'], ['O\'Brien', 'obrien'], ['Dubois', 'dubois'],
  ['山田', 'yamada'], ['佐藤', 'sato'], ['Patel', 'patel'], ['Nguyen', 'nguyen'], ['Kim', 'kim'],
  ['Rossi', 'rossi'], ['Jensen', 'jensen'], ['Silva', 'silva'], ['Cohen', 'cohen'], ['Walker', 'walker'],
];

/**
 * Domains reserved for examples (RFC 2606), so no synthetic address can reach a real inbox.
 */
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

/**
 * The merchant's own customer tags. None of them starts with tiersync's prefixes (`ltv:`,
 * `rfm:`, `churn:`, `lapsed:`) or equals its `suppressed` / `reactivate` tags.
 */
export const MERCHANT_TAGS = [
  'wholesale', 'newsletter', 'vip-manual', 'retail', 'b2b', 'influencer', 'staff', 'loyalty-member', 'imported', 'pos',
] as const;

export interface Person {
  firstName: string;
  lastName: string;
  /** An email address made unique across the shop by `serial`. */
  email: string;
}

/**
 * A person with a display name (some non-ASCII) and a unique address on a reserved domain.
 *
 * @example
 * makePerson(seededRandom(1), '42'); // { firstName: 'Nuño', lastName: 'Smith', email: 'nuno.smith42@example.net' }
 */
export function makePerson(random: Random, serial: string): Person {
  const [firstName, firstAscii] = pickOne(random, FIRST_NAMES);
  const [lastName, lastAscii] = pickOne(random, LAST_NAMES);
  const domain = pickOne(random, EMAIL_DOMAINS);
  return { firstName, lastName, email: `${firstAscii}.${lastAscii}${serial}@${domain}` };
}

/**
 * One or two merchant tags, sorted and distinct.
 *
 * @example
 * merchantTags(seededRandom(1)); // e.g. ['newsletter'] or ['b2b', 'wholesale']
 */
export function merchantTags(random: Random): string[] {
  const first = pickOne(random, MERCHANT_TAGS);
  if (random() < 0.7) return [first];
  const second = pickOne(random, MERCHANT_TAGS);
  return second === first ? [first] : [first, second].sort();
}
