/**
 * Activity paging tokens. Marketo's are date-based: pagingtoken.json turns `sinceDatetime` into a
 * token, and each page answers a token for where it stopped. Here a token is a position signed with
 * the store's stream secret (the one SOAP stream positions use): the time it reads from and the
 * last activity id returned. Decision: as Marketo's, a token is bound to no query, so one made for
 * activities.json serves leadchanges.json and deletedleads.json too; a token that does not verify
 * (altered, from another store, not a token) is refused with 1003.
 */
import { MktowsFault, RestError } from '@mktows/protocol';
import type { StreamCodec } from '../../domain/stream-position.js';

const SELECTOR = 'rest-activities';

export interface ActivityCursor {
  /** Activities at or after this time (epoch ms). */
  since: number;
  /** Activities with a greater id. */
  after: number;
}

export function encodeActivityToken(codec: StreamCodec, c: ActivityCursor): string {
  return codec.encode({ sel: SELECTOR, after: c.after, os: 0, since: c.since });
}

/** The cursor of a required nextPageToken: 1002 when absent, 1003 when it does not verify. */
export function readActivityToken(codec: StreamCodec, query: URLSearchParams): ActivityCursor {
  const token = query.get('nextPageToken')?.trim();
  if (!token) throw new RestError(1002, "Missing value for the required parameter 'nextPageToken'");
  try {
    const s = codec.decode(token, SELECTOR);
    if (typeof s.since !== 'number' || !Number.isFinite(s.after)) throw new Error('malformed');
    return { since: s.since, after: s.after };
  } catch (e) {
    if (e instanceof MktowsFault || e instanceof Error) throw new RestError(1003, `Invalid nextPageToken '${token}'`);
    throw e;
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * sinceDatetime as ISO 8601: a date, or a date and time with an offset or `Z`. Decision: a value
 * without an offset is read as UTC (Marketo reads it in the instance's time zone, which this
 * server does not have); anything else is 1001.
 */
export function parseSinceDatetime(query: URLSearchParams): number {
  const v = query.get('sinceDatetime')?.trim();
  if (!v) throw new RestError(1002, "Missing value for the required parameter 'sinceDatetime'");
  let text = v;
  if (ISO_8601.test(v)) {
    if (!v.includes('T')) text = `${v}T00:00:00Z`;
    else if (!/(Z|[+-]\d{2}:?\d{2})$/.test(v)) text = `${v}Z`;
    text = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  throw new RestError(1001, `Invalid value '${v}'. Required of type 'DateTime'`);
}
