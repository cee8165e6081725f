/**
 * Parsers for the limit flags: `--rate-limit 100/20s` and durations such as `--signature-window 15m`.
 * Only whole milliseconds are accepted, so a window or duration is always an exact integer.
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

const DURATION = /^(\d+)(ms|s|m|h)?$/;
const RATE = /^(\d+)\/(\d*)(ms|s|m|h)?$/;

function toMs(amount: string, unit: string): number {
  return Number(amount) * UNIT_MS[unit];
}

/**
 * A duration: `500ms`, `900s`, `15m`, `1h`, or a bare number of seconds (`900`). Returns milliseconds.
 * Zero is allowed (e.g. no tolerated clock skew).
 */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m) {
    throw new Error(
      `Invalid duration "${text}": expected a whole number with an optional unit ms, s, m or h (a bare number means seconds), e.g. 15m, 900s or 500ms`,
    );
  }
  const ms = toMs(m[1], m[2] ?? 's');
  if (!Number.isSafeInteger(ms)) throw new Error(`Invalid duration "${text}": too large`);
  return ms;
}

/**
 * `<calls>/<window>`: `100/20s`, `5/1500ms`, `1000/1h`. The window reads like a duration (a bare
 * number is seconds), and a unit alone (`10/s`) means one of it.
 */
export function parseRate(text: string): { ratePerWindow: number; windowMs: number } {
  const m = RATE.exec(text.trim());
  if (!m || (m[2] === '' && m[3] === undefined)) {
    throw new Error(
      `Invalid rate "${text}": expected <calls>/<window>, whole numbers, the window with an optional unit ms, s, m or h (a bare number means seconds), e.g. 100/20s or 5/1500ms`,
    );
  }
  const ratePerWindow = Number(m[1]);
  const windowMs = toMs(m[2] === '' ? '1' : m[2], m[3] ?? 's');
  if (ratePerWindow < 1) throw new Error(`Invalid rate "${text}": the number of calls must be at least 1`);
  if (windowMs < 1) throw new Error(`Invalid rate "${text}": the window must be at least 1 ms`);
  if (!Number.isSafeInteger(ratePerWindow) || !Number.isSafeInteger(windowMs)) {
    throw new Error(`Invalid rate "${text}": too large`);
  }
  return { ratePerWindow, windowMs };
}

/** A window length for messages: `20 s` when it is whole seconds, else `1500 ms`. */
export function formatWindow(windowMs: number): string {
  return windowMs % 1000 === 0 ? `${windowMs / 1000} s` : `${windowMs} ms`;
}
