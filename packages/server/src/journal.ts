/**
 * The request journal: the last N request/response pairs, newest first, signatures masked
 * (signature-mask.ts). `Journal` is what the pipeline and the admin API use; `LocalJournal` keeps
 * one process's calls, and shared-journal.ts the calls of every replica sharing a PostgreSQL store.
 *
 * LocalJournal keeps bodies in one byte arena, written as a ring, and entry fields in typed arrays.
 * A journal of JS objects and strings kept every call's request and response alive until 1000 calls
 * later, so each call promoted a few KB to V8's old generation, and the collector paid for it on
 * every call (bench/: 20 µs of a 50 µs getLead). Copying the bytes into an arena is a memcpy and
 * leaves nothing for the collector. Its signatures are masked when the journal is read.
 */

import type { UpstreamCallRecord } from './bridge/upstream.js';
import { maskSecrets } from './signature-mask.js';

export type { UpstreamCallRecord };
export { maskSecrets };

export interface JournalEntry {
  id: number;
  api: 'soap' | 'rest';
  /** The replica that served the call (`--replica-id`, default hostname:pid). */
  replica: string;
  time: string;
  userId: string | null;
  operation: string | null;
  durationMs: number;
  status: number;
  faultCode: number | null;
  request: string;
  response: string;
  /** Bridge only: the REST calls this SOAP call made to the Marketo instance, in order. */
  upstream?: UpstreamCallRecord[];
}

/** What the pipeline records for a call. */
export interface JournalRecord {
  /** When the call arrived, epoch ms on the server's clock. */
  at: number;
  userId: string | null;
  operation: string | null;
  durationMs: number;
  status: number;
  faultCode: number | null;
  request: Uint8Array | string;
  response: Uint8Array | string;
  /** The API called; SOAP when absent. For REST, `userId` is the client id and `operation` Marketo's operationId. */
  api?: 'soap' | 'rest';
  /** The requestSignature as the server decoded it, when it got that far: masked wherever it appears. */
  signature?: string | null;
  /** Bridge only: the REST calls the SOAP call made (method, path, status, code, ms; never a token). */
  upstream?: UpstreamCallRecord[];
}

/** GET /_mktows/journal's filters: at most `limit` entries (never more than the journal's size), newest first. */
export interface JournalQuery {
  limit?: number;
  code?: number;
  operation?: string;
  userId?: string;
  api?: 'soap' | 'rest';
  /** Only entries written after this id: what a console polling the journal has not seen yet. */
  sinceId?: number;
  /** Text the request or the response contains, case-insensitively (a lead's e-mail, a list name). */
  search?: string;
}

/** Whether a body pair holds the search text (already lowercased). */
export function bodiesContain(request: string, response: string, lowered: string): boolean {
  return request.toLowerCase().includes(lowered) || response.toLowerCase().includes(lowered);
}

/** The journal as the pipeline writes it and the admin API reads it. */
export interface Journal {
  /** Records a call; never waits and never fails the call. */
  add(e: JournalRecord): void;
  query(q: JournalQuery): JournalEntry[] | Promise<JournalEntry[]>;
  /** Forgets every entry (POST /_mktows/reset). */
  clear(): void | Promise<void>;
  /** Writes what is still pending; the journal takes no entries after. */
  close(): Promise<void>;
}

/** At most this many bytes of one body are kept; the rest is counted. */
export const MAX_BODY_BYTES = 256 * 1024;
/** The default byte budget of the bodies of all entries together. */
export const DEFAULT_JOURNAL_BYTES = 64 * 1024 * 1024;

/**
 * Bytes kept of each call's decoded signature (a valid one is 40 hex digits). They live in one
 * buffer, like the bodies, so that the journal holds no string per call.
 */
const SIGNATURE_BYTES = 128;

const NO_FAULT = -1;

export class LocalJournal implements Journal {
  private readonly size: number;
  private readonly arenaBytes: number;
  private arena: Buffer | undefined;
  /** Bytes ever written to the arena: an entry's bytes are intact while they are within the last arenaBytes. */
  private written = 0;
  // Entry i of the ring lives at index (start + i) % size in each of these.
  private readonly ids: Float64Array;
  private readonly times: Float64Array;
  private readonly durations: Float64Array;
  private readonly statuses: Int32Array;
  private readonly faults: Int32Array;
  private readonly userIds: (string | null)[];
  private readonly operations: (string | null)[];
  /** Per entry: absolute arena position, kept length and full length of request, then of response. */
  private readonly bodies: Float64Array;
  private signatures: Buffer | undefined;
  private readonly signatureLengths: Uint8Array;
  /** Per entry: 1 for a REST call, 0 for SOAP. */
  private readonly apis: Uint8Array;
  /** Per entry, on a bridge: the REST calls made (a few small records; an emulator keeps none). */
  private readonly upstream: (UpstreamCallRecord[] | null)[];
  private count = 0;
  private start = 0;
  private nextId = 1;

  constructor(
    size: number,
    arenaBytes = DEFAULT_JOURNAL_BYTES,
    /** One process's journal: every entry was served by this replica. */
    private readonly replica = '',
  ) {
    this.size = Math.max(0, Math.floor(size));
    this.arenaBytes = Math.max(0, Math.floor(arenaBytes));
    const n = this.size;
    this.ids = new Float64Array(n);
    this.times = new Float64Array(n);
    this.durations = new Float64Array(n);
    this.statuses = new Int32Array(n);
    this.faults = new Int32Array(n);
    this.userIds = new Array(n).fill(null);
    this.operations = new Array(n).fill(null);
    this.bodies = new Float64Array(n * 6);
    this.signatureLengths = new Uint8Array(n);
    this.apis = new Uint8Array(n);
    this.upstream = new Array(n).fill(null);
  }

  /** Records a call. The request is kept as bytes, masked and decoded only when the journal is read. */
  add(e: JournalRecord): void {
    if (this.size === 0) return;
    let slot: number;
    if (this.count < this.size) {
      slot = this.count++;
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.size;
    }
    this.ids[slot] = this.nextId++;
    this.times[slot] = e.at;
    this.durations[slot] = e.durationMs;
    this.statuses[slot] = e.status;
    this.faults[slot] = e.faultCode ?? NO_FAULT;
    this.userIds[slot] = e.userId;
    this.operations[slot] = e.operation;
    this.apis[slot] = e.api === 'rest' ? 1 : 0;
    this.upstream[slot] = e.upstream ?? null;
    this.keep(slot * 6, e.request);
    this.keep(slot * 6 + 3, e.response);
    this.keepSignature(slot, e.signature?.trim());
  }

  /** Keeps at most SIGNATURE_BYTES of the signature: a longer value is no valid signature, its start is still hidden. */
  private keepSignature(slot: number, signature: string | undefined): void {
    if (!signature) {
      this.signatureLengths[slot] = 0;
      return;
    }
    this.signatures ??= Buffer.alloc(this.size * SIGNATURE_BYTES);
    this.signatureLengths[slot] = this.signatures.write(signature, slot * SIGNATURE_BYTES, SIGNATURE_BYTES, 'utf8');
  }

  private signature(slot: number): string | null {
    const n = this.signatureLengths[slot];
    if (n === 0 || !this.signatures) return null;
    return this.signatures.toString('utf8', slot * SIGNATURE_BYTES, slot * SIGNATURE_BYTES + n);
  }

  /** Copies at most MAX_BODY_BYTES of a body into the arena, wrapping to its start when the end is near. */
  private keep(at: number, body: Uint8Array | string): void {
    const full = typeof body === 'string' ? -1 : body.length;
    const room = Math.min(MAX_BODY_BYTES, this.arenaBytes);
    // A string takes at most 3 bytes per UTF-16 unit; reserve that much so it never has to be measured first.
    const need = Math.min(room, typeof body === 'string' ? body.length * 3 : body.length);
    if (need === 0 && room === 0) {
      this.bodies.set([this.written, 0, full < 0 ? Buffer.byteLength(body as string) : full], at);
      return;
    }
    this.arena ??= Buffer.allocUnsafeSlow(this.arenaBytes);
    let pos = this.written % this.arenaBytes;
    if (pos + need > this.arenaBytes) {
      this.written += this.arenaBytes - pos;
      pos = 0;
    }
    let kept: number;
    let length = full;
    if (typeof body === 'string') {
      // write() never splits a character. Only a string that may not have fit is measured.
      kept = this.arena.write(body, pos, need, 'utf8');
      length = body.length * 3 <= room ? kept : Buffer.byteLength(body);
    } else {
      kept = need;
      this.arena.set(need === body.length ? body : body.subarray(0, need), pos);
    }
    this.bodies[at] = this.written;
    this.bodies[at + 1] = kept;
    this.bodies[at + 2] = length;
    this.written += kept;
  }

  /** A body as kept, masked before the note on what was cut so that a cut-off signature element is masked to its end. */
  private text(at: number, signature: string | null): string {
    const from = this.bodies[at];
    const kept = this.bodies[at + 1];
    const length = this.bodies[at + 2];
    if (kept > 0 && from < this.written - this.arenaBytes) {
      return `[body no longer kept: the journal keeps the bodies of recent calls up to ${this.arenaBytes} bytes; it was ${length} bytes]`;
    }
    const pos = from % this.arenaBytes;
    const text = kept === 0 ? '' : maskSecrets((this.arena as Buffer).toString('utf8', pos, pos + kept), signature);
    return withCutNote(text, kept, length);
  }

  query(q: JournalQuery): JournalEntry[] {
    const out: JournalEntry[] = [];
    const limit = q.limit ?? this.size;
    const search = q.search?.toLowerCase();
    for (let i = this.count - 1; i >= 0 && out.length < limit; i--) {
      const slot = (this.start + i) % this.size;
      // Newest first: everything after this is older still.
      if (q.sinceId !== undefined && this.ids[slot] <= q.sinceId) break;
      const fault = this.faults[slot];
      if (q.code !== undefined && fault !== q.code) continue;
      if (q.operation !== undefined && this.operations[slot] !== q.operation) continue;
      if (q.userId !== undefined && this.userIds[slot] !== q.userId) continue;
      if (q.api !== undefined && (this.apis[slot] === 1 ? 'rest' : 'soap') !== q.api) continue;
      const signature = this.signature(slot);
      const request = this.text(slot * 6, signature);
      const response = this.text(slot * 6 + 3, signature);
      if (search !== undefined && !bodiesContain(request, response, search)) continue;
      const upstream = this.upstream[slot];
      out.push({
        ...(upstream ? { upstream } : {}),
        id: this.ids[slot],
        api: this.apis[slot] === 1 ? 'rest' : 'soap',
        replica: this.replica,
        time: new Date(this.times[slot]).toISOString(),
        userId: this.userIds[slot],
        operation: this.operations[slot],
        durationMs: this.durations[slot],
        status: this.statuses[slot],
        faultCode: fault === NO_FAULT ? null : fault,
        request,
        response,
      });
    }
    return out;
  }

  clear(): void {
    this.count = 0;
    this.start = 0;
    this.userIds.fill(null);
    this.operations.fill(null);
    this.upstream.fill(null);
    this.signatureLengths.fill(0);
  }

  async close(): Promise<void> {}
}

/** The kept text of a body, followed by a note on the bytes cut off. */
function withCutNote(text: string, kept: number, length: number): string {
  return length > kept ? `${text}… [${length - kept} more bytes]` : text;
}

/**
 * A body as a journal shows it, for a journal that stores text: at most MAX_BODY_BYTES (never cut
 * inside a character), the signature masked (before the note, as LocalJournal does).
 */
export function keptBodyText(body: Uint8Array | string, signature: string | null): string {
  const bytes =
    typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.length);
  let kept = Math.min(bytes.length, MAX_BODY_BYTES);
  // A UTF-8 continuation byte (10xxxxxx) at the cut means a character would be split: cut before it.
  while (kept < bytes.length && kept > 0 && (bytes[kept] & 0xc0) === 0x80) kept--;
  return withCutNote(maskSecrets(bytes.toString('utf8', 0, kept), signature), kept, bytes.length);
}
