/**
 * Request values quoted in fault messages, bounded. A fault names the offending value so that a
 * log line is enough to act on (errors.md), but echoing it whole let one request make the server
 * write back megabytes (a 10 MB keyValue) or list 100,000 unknown field names. Every fault message
 * that quotes request input goes through `echo` or `echoList`; `capDetail` bounds the whole
 * message as a backstop for any that does not.
 */

/** Characters of one echoed value; longer ones are cut and end with "…". */
export const MAX_ECHO_CHARS = 200;
/** Names listed of an echoed list; the rest are counted. */
export const MAX_ECHO_NAMES = 10;
/** Characters of a whole fault detail message. */
export const MAX_DETAIL_CHARS = 2000;

const ELLIPSIS = '…';

/** The first `max` characters of `text` (never half of a surrogate pair), then "…", when it is longer. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}

/** A request value as a fault message quotes it: at most `max` characters, then "…". */
export function echo(value: unknown, max = MAX_ECHO_CHARS): string {
  return cut(String(value), max);
}

/** 1234567 → "1,234,567", whatever the process's locale. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** Names as a fault message lists them: the first `max`, each echoed, then "… and N more". */
export function echoList(names: readonly unknown[], max = MAX_ECHO_NAMES): string {
  const shown = names.slice(0, max).map((n) => echo(n));
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} … and ${grouped(rest)} more` : shown.join(', ');
}

/** Bounds a whole detail message: what the helpers above missed cannot make a fault unbounded. */
export function capDetail(detail: string): string {
  return cut(detail, MAX_DETAIL_CHARS);
}
