/**
 * dateTime handling. Requests are parsed leniently (clients send every ISO-8601 flavour), responses
 * are written strictly as `YYYY-MM-DDThh:mm:ss±hh:mm` in UTC, with no fraction.
 */

const XSD_DATETIME = /^\s*(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?\s*$/;

// requestTimestamp: also a space for T, offsets without a colon and a space before the offset
// (Ruby's `Time#to_s`: `2015-07-06 00:00:00 +0000`).
const LENIENT_DATETIME =
  /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?\s*$/i;

function build(m: RegExpExecArray): Date | undefined {
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || se > 60) return undefined;
  if (h === 24 && (mi !== 0 || se !== 0)) return undefined;
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  let offsetMin = 0;
  const z = m[8];
  if (z && z.toUpperCase() !== 'Z' && z.toUpperCase() !== 'UTC') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 14 || om > 59) return undefined;
    offsetMin = sign * (oh * 60 + om);
  }
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  // Reject impossible calendar dates such as 2026-02-30.
  if (date.getUTCMonth() !== mo - 1) return undefined;
  const t = date.setUTCHours(h, mi, se === 60 ? 59 : se, ms) - offsetMin * 60_000;
  if (Number.isNaN(t)) return undefined;
  return new Date(t);
}

/** xs:dateTime lexical form. A value without a zone is taken as UTC. */
export function parseXsdDateTime(s: string): Date | undefined {
  const m = XSD_DATETIME.exec(s);
  return m ? build(m) : undefined;
}

/** Any ISO-8601/RFC-3339-like date-time, as clients put in requestTimestamp. */
export function parseLenientDateTime(s: string): Date | undefined {
  const m = LENIENT_DATETIME.exec(s);
  return m ? build(m) : undefined;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `YYYY-MM-DDThh:mm:ss+00:00`, the form Marketo wrote. */
export function formatDateTime(d: Date): string {
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+00:00`
  );
}

/** A W3C timestamp with the given offset in minutes (default: UTC), as PHP's DATE_W3C writes it. */
export function formatW3C(d: Date, offsetMinutes = 0): string {
  const local = new Date(d.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
