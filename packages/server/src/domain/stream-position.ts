/**
 * Opaque stream positions: a small JSON state, base64url-encoded and signed with the store's
 * secret, so that a position is tamper-evident and bound to the selector it was issued for.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { echo, FAULT, MktowsFault } from '@mktows/protocol';

/** A rejected position is quoted shorter than other values: its start is enough to tell which one it was. */
const POSITION_ECHO_CHARS = 40;

export interface PositionState {
  /** Hash of the selector and filters the position belongs to. */
  sel: string;
  /** Cursor: the last record id returned. */
  after: number;
  /** Records returned so far. */
  os: number;
  /** Extra state an operation needs (fixed bounds). */
  [k: string]: unknown;
}

/** Stable hash of a selector value (object keys sorted, Dates as ISO strings). */
export function selectorHash(value: unknown): string {
  const canon = (v: unknown): unknown => {
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(canon);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return createHash('sha256')
    .update(JSON.stringify(canon(value)))
    .digest('base64url')
    .slice(0, 16);
}

export class StreamCodec {
  constructor(private readonly secret: string) {}

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 22);
  }

  encode(state: PositionState): string {
    const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /**
   * Where a stream continues: the cursor of a trusted position, or the start without one. `to` is
   * the fixed upper bound an open-ended range was given on its first page, `rc` the remaining count.
   */
  cursor(position: string | null | undefined, sel: string): { after: number; os: number; to?: number; rc?: number } {
    if (!position) return { after: 0, os: 0 };
    const state = this.decode(position, sel);
    return {
      after: state.after,
      os: state.os,
      ...(typeof state.to === 'number' ? { to: state.to } : {}),
      // The remaining count the position was issued with (Marketo's positions carried `rc` too).
      ...(typeof state.rc === 'number' ? { rc: state.rc } : {}),
    };
  }

  /** Verifies and decodes a position for a selector; 20122 when it cannot be trusted. */
  decode(position: string, sel: string): PositionState {
    const p = position.trim();
    const dot = p.lastIndexOf('.');
    const payload = dot > 0 ? p.slice(0, dot) : '';
    const mac = dot > 0 ? p.slice(dot + 1) : '';
    const expected = Buffer.from(this.mac(payload));
    // Compare byte lengths, not string lengths: a non-ASCII mac of the right length would make
    // timingSafeEqual throw (→ 20011) instead of being refused as a bad position.
    const got = Buffer.from(mac);
    if (!payload || got.length !== expected.length || !timingSafeEqual(got, expected)) {
      throw new MktowsFault(
        FAULT.BAD_STREAM_POSITION,
        `Stream position "${echo(p, POSITION_ECHO_CHARS)}" is not valid`,
      );
    }
    let state: PositionState;
    try {
      state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as PositionState;
    } catch {
      throw new MktowsFault(
        FAULT.BAD_STREAM_POSITION,
        `Stream position "${echo(p, POSITION_ECHO_CHARS)}" is not valid`,
      );
    }
    if (state.sel !== sel) {
      throw new MktowsFault(
        FAULT.BAD_STREAM_POSITION,
        'Stream position was issued for a different selector or filter; restart the stream',
      );
    }
    return state;
  }
}
