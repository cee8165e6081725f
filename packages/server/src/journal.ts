/** The request journal: the last N request/response pairs, newest first, signatures masked. */
export interface JournalEntry {
  id: number;
  time: string;
  userId: string | null;
  operation: string | null;
  durationMs: number;
  status: number;
  faultCode: number | null;
  request: string;
  response: string;
}

const MAX_TEXT = 256 * 1024;
const SIGNATURE = /(<(?:[\w.-]+:)?requestSignature\b[^>]*>)[^<]*(<\/)/g;

/** Hides the request signature: it is replayable until the timestamp expires. */
export function maskSecrets(xml: string): string {
  return xml.replace(SIGNATURE, '$1********$2');
}

/**
 * The text as kept: at most MAX_TEXT characters. The kept prefix is copied, because a V8 slice
 * keeps its whole parent alive: a clipped 10 MB body would otherwise hold all 10 MB.
 */
function clip(s: string): string {
  if (s.length <= MAX_TEXT) return s;
  const head = Buffer.from(s.slice(0, MAX_TEXT), 'utf8').toString('utf8');
  return `${head}… [${s.length - MAX_TEXT} more characters]`;
}

/** An entry as kept: the request still as received. */
interface StoredEntry extends Omit<JournalEntry, 'request'> {
  request: string | Buffer;
  requestLength: number;
}

function materialize(e: StoredEntry): JournalEntry {
  const { requestLength: _length, ...rest } = e;
  if (typeof e.request === 'string') return { ...rest, request: clip(maskSecrets(e.request)) };
  const more = e.requestLength - e.request.length;
  return { ...rest, request: maskSecrets(e.request.toString('utf8')) + (more > 0 ? `… [${more} more bytes]` : '') };
}

export class Journal {
  /**
   * A ring of the last `size` entries: `entries[(start + i) % size]` is the i-th oldest. (Dropping
   * the oldest with splice moved the whole array on every call once the journal was full.)
   */
  private entries: StoredEntry[] = [];
  private start = 0;
  private nextId = 1;

  constructor(private readonly size: number) {}

  /**
   * Records a call. The request is kept as bytes and turned into masked text only when the journal
   * is read: the work of masking and decoding stays off the hot path of every call.
   */
  add(e: Omit<JournalEntry, 'id' | 'request' | 'response'> & { request: string | Buffer; response: string }): void {
    if (this.size <= 0) return;
    const request =
      typeof e.request === 'string'
        ? e.request
        : // A copy of at most MAX_TEXT bytes: the received buffer may be a view into a larger pool.
          Buffer.from(e.request.subarray(0, MAX_TEXT));
    const entry: StoredEntry = {
      ...e,
      id: this.nextId++,
      request,
      requestLength: e.request.length,
      response: clip(e.response),
    };
    if (this.entries.length < this.size) {
      this.entries.push(entry);
    } else {
      this.entries[this.start] = entry;
      this.start = (this.start + 1) % this.size;
    }
  }

  query(q: { limit?: number; code?: number; operation?: string; userId?: string }): JournalEntry[] {
    const out: JournalEntry[] = [];
    const n = this.entries.length;
    for (let i = n - 1; i >= 0 && out.length < (q.limit ?? this.size); i--) {
      const e = this.entries[(this.start + i) % n];
      if (q.code !== undefined && e.faultCode !== q.code) continue;
      if (q.operation !== undefined && e.operation !== q.operation) continue;
      if (q.userId !== undefined && e.userId !== q.userId) continue;
      out.push(materialize(e));
    }
    return out;
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
  }
}
