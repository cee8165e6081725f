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

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}… [${s.length - MAX_TEXT} more characters]` : s;
}

export class Journal {
  private entries: JournalEntry[] = [];
  private nextId = 1;

  constructor(private readonly size: number) {}

  add(e: Omit<JournalEntry, 'id' | 'request' | 'response'> & { request: string; response: string }): void {
    if (this.size <= 0) return;
    this.entries.push({ ...e, id: this.nextId++, request: clip(maskSecrets(e.request)), response: clip(e.response) });
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
  }

  query(q: { limit?: number; code?: number; operation?: string; userId?: string }): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < (q.limit ?? this.size); i--) {
      const e = this.entries[i];
      if (q.code !== undefined && e.faultCode !== q.code) continue;
      if (q.operation !== undefined && e.operation !== q.operation) continue;
      if (q.userId !== undefined && e.userId !== q.userId) continue;
      out.push(e);
    }
    return out;
  }

  clear(): void {
    this.entries = [];
  }
}
