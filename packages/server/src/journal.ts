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

export class Journal {
  /**
   * A ring of the last `size` entries: `entries[(start + i) % size]` is the i-th oldest. (Dropping
   * the oldest with splice moved the whole array on every call once the journal was full.)
   */
  private entries: JournalEntry[] = [];
  private start = 0;
  private nextId = 1;

  constructor(private readonly size: number) {}

  add(e: Omit<JournalEntry, 'id' | 'request' | 'response'> & { request: string; response: string }): void {
    if (this.size <= 0) return;
    const entry = { ...e, id: this.nextId++, request: clip(maskSecrets(e.request)), response: clip(e.response) };
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
      out.push(e);
    }
    return out;
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
  }
}
