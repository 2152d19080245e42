import { DAY_MS } from '../core/order.ts';
import { TWO_DIGITS } from './iso-time.ts';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Formats instants the way Shopify admin's "Export orders" CSV writes them: the shop's local
 * time with its UTC offset, e.g. `2024-05-01 10:00:00 -0400`. The offset comes from the IANA
 * time zone (so daylight saving time is right) and is cached per UTC hour (the supported zones change offset on whole hours), because asking Intl for
 * every one of millions of orders would dominate the run.
 *
 * @example
 * const format = createShopTimeFormatter('America/New_York');
 * format('2024-05-01T14:00:00Z'); // "2024-05-01 10:00:00 -0400"
 */
export function createShopTimeFormatter(timeZone: string): (iso: string) => string {
  const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  const offsetByHour = new Map<number, number>();
  const offsetMinutes = (ms: number): number => {
    const hour = Math.floor(ms / HOUR_MS);
    let minutes = offsetByHour.get(hour);
    if (minutes === undefined) {
      minutes = parseLongOffset(offsetFormat.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value);
      offsetByHour.set(hour, minutes);
    }
    return minutes;
  };
  const offsetText = (minutes: number): string => {
    const absolute = Math.abs(minutes);
    return `${minutes < 0 ? '-' : '+'}${TWO_DIGITS[Math.floor(absolute / 60)]}${TWO_DIGITS[absolute % 60]}`;
  };
  const localDate = new Map<number, string>();
  return (iso) => {
    const ms = Date.parse(iso);
    const minutes = offsetMinutes(ms);
    const local = ms + minutes * 60_000;
    const day = Math.floor(local / DAY_MS);
    let date = localDate.get(day);
    if (date === undefined) {
      date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      localDate.set(day, date);
    }
    const seconds = Math.floor((local - day * DAY_MS) / 1000);
    const clock = `${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor((seconds % 3600) / 60)]}:${TWO_DIGITS[seconds % 60]}`;
    return `${date} ${clock} ${offsetText(minutes)}`;
  };
}

/** "GMT-04:00" → -240, "GMT+05:30" → 330, "GMT" → 0. */
function parseLongOffset(name: string | undefined): number {
  if (name === undefined || name === 'GMT') return 0;
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) throw new Error(`unexpected time zone offset name "${name}" from Intl`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}
