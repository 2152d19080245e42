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
  return (iso) => {
    const ms = Date.parse(iso);
    const minutes = offsetMinutes(ms);
    const local = new Date(ms + minutes * 60_000).toISOString();
    const sign = minutes < 0 ? '-' : '+';
    const absolute = Math.abs(minutes);
    const offset = `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}${String(absolute % 60).padStart(2, '0')}`;
    return `${local.slice(0, 10)} ${local.slice(11, 19)} ${offset}`;
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
