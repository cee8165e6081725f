/**
 * The quota day: calls are counted per calendar day in a time zone (Marketo: US Central), so the
 * day starts at local midnight, which moves against UTC when daylight saving time changes.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError for an unknown IANA zone name. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(t: number, timeZone: string): LocalParts {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(t))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** Offset of the zone from UTC at instant t, in milliseconds. */
function offsetAt(t: number, timeZone: string): number {
  const p = localParts(t, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (t - (t % 1000));
}

function dayKey(t: number, timeZone: string): string {
  const p = localParts(t, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Per zone, the last day looked up: every instant in [from, until) belongs to `key`. */
const lastDay = new Map<string, { key: string; from: number; until: number }>();

/**
 * `YYYY-MM-DD` of instant t in the zone: the key under which a day's calls are counted. Callers ask
 * on every call, and Intl formatting is slow, so the last day of each zone is remembered.
 */
export function quotaDay(t: number, timeZone: string): string {
  const d = lastDay.get(timeZone);
  if (d !== undefined && t >= d.from && t < d.until) return d.key;
  const key = dayKey(t, timeZone);
  if (d !== undefined && key === d.key && t < d.until) {
    d.from = t; // an earlier instant of the same day
  } else {
    lastDay.set(timeZone, { key, from: t, until: nextQuotaReset(t, timeZone).getTime() });
  }
  return key;
}

/** The instant of the next local midnight after t in the zone (DST-correct). */
export function nextQuotaReset(t: number, timeZone: string): Date {
  const p = localParts(t, timeZone);
  // Local midnight of the next calendar day, as a wall-clock time.
  const wall = Date.UTC(p.year, p.month - 1, p.day + 1, 0, 0, 0);
  // Solve wall = utc + offset(utc); two rounds settle it across a DST change.
  let utc = wall - offsetAt(wall, timeZone);
  utc = wall - offsetAt(utc, timeZone);
  // Zones whose DST change happens at midnight have no 00:00: the day starts at the first instant after.
  if (dayKey(utc, timeZone) === dayKey(t, timeZone)) utc += 3_600_000;
  return new Date(utc);
}
