/**
 * The journal of several replicas: every replica writes its calls into the store's journal table
 * (store/journal-store.ts) and reads the table, so that any replica shows the calls of all.
 *
 * Writes are behind the calls: `add` only queues the call (its bodies by reference, no copy, no
 * text), and a flush every FLUSH_INTERVAL_MS, or as soon as a batch is full, turns the queue into
 * masked, cut-to-size text and writes it in one multi-row insert. A call never waits for the journal
 * and never fails because of it: a failed write is logged once (until a write succeeds again) and
 * its entries are counted as dropped (mktows_journal_dropped_total). The signature is masked before
 * the text leaves the process: the other replicas never knew it.
 *
 * A query first flushes this replica's queue, so its own calls show at once; another replica's
 * calls show once that replica has flushed: within FLUSH_INTERVAL_MS plus one insert (README: ≤ 250 ms).
 */
import type { Journal, JournalEntry, JournalQuery, JournalRecord } from './journal.js';
import { keptBodyText } from './journal.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { JournalRow, JournalStore } from './store/journal-store.js';

/** How long a call may wait in the queue before it is written. */
export const FLUSH_INTERVAL_MS = 100;
/** A batch is written at once when it holds this many calls… */
const BATCH_ROWS = 200;
/** …or bodies of this many bytes (before cutting to MAX_BODY_BYTES): one insert stays a few MB. */
const BATCH_BYTES = 4 * 1024 * 1024;
/** The table is cut back to the journal's size at most this often. */
const TRIM_INTERVAL_MS = 1_000;

interface Queued {
  record: JournalRecord;
  bytes: number;
}

export interface SharedJournalOptions {
  /** Entries kept (--journal-size): reads return at most this many, the table is trimmed to it. */
  size: number;
  /** This replica's id (--replica-id). */
  replica: string;
  log: Logger;
  metrics: Metrics;
}

export class SharedJournal implements Journal {
  private queue: Queued[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The flushes, one after another: a query waits for the ones before it. */
  private flushing: Promise<void> = Promise.resolve();
  private failing = false;
  private lastTrim = 0;
  private closed = false;

  constructor(
    private readonly store: JournalStore,
    private readonly opts: SharedJournalOptions,
  ) {}

  add(e: JournalRecord): void {
    if (this.opts.size === 0 || this.closed) return;
    const bytes = e.request.length + e.response.length;
    this.queue.push({ record: e, bytes });
    this.queuedBytes += bytes;
    // While the store is down the queue keeps only the newest entries the journal would show.
    if (this.queue.length > this.opts.size) {
      const lost = this.queue.shift() as Queued;
      this.queuedBytes -= lost.bytes;
      this.opts.metrics.recordJournalDropped(1);
    }
    if (this.queue.length >= BATCH_ROWS || this.queuedBytes >= BATCH_BYTES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  /** Writes everything queued so far; resolves when it is in the table (or dropped). Never rejects. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: readonly Queued[]): Promise<void> {
    for (let from = 0; from < batch.length; ) {
      const rows: JournalRow[] = [];
      let bytes = 0;
      for (; from < batch.length && rows.length < BATCH_ROWS && (rows.length === 0 || bytes < BATCH_BYTES); from++) {
        rows.push(this.row(batch[from].record));
        bytes += batch[from].bytes;
      }
      try {
        await this.store.insert(rows);
        if (this.failing) this.opts.log.info('journal writes succeed again');
        this.failing = false;
      } catch (e) {
        this.opts.metrics.recordJournalDropped(rows.length);
        if (!this.failing) {
          this.opts.log.warn('journal write failed; entries are dropped until writes succeed', { error: String(e) });
        }
        this.failing = true;
      }
    }
    if (batch.length > 0 && Date.now() - this.lastTrim >= TRIM_INTERVAL_MS) {
      this.lastTrim = Date.now();
      // A failed trim is retried with the next one; the reads are bounded by the size anyway.
      await this.store.trim(this.opts.size).catch(() => {});
    }
  }

  private row(e: JournalRecord): JournalRow {
    const signature = e.signature?.trim() || null;
    return {
      api: e.api ?? 'soap',
      replica: this.opts.replica,
      at: e.at,
      userId: e.userId,
      operation: e.operation,
      durationMs: e.durationMs,
      status: e.status,
      faultCode: e.faultCode,
      request: keptBodyText(e.request, signature),
      response: keptBodyText(e.response, signature),
      ...(e.upstream?.length ? { upstream: e.upstream } : {}),
    };
  }

  async query(q: JournalQuery): Promise<JournalEntry[]> {
    await this.flush();
    const limit = Math.min(q.limit ?? this.opts.size, this.opts.size);
    return limit === 0 ? [] : this.store.query(q, limit);
  }

  /** Empties the table for every replica; what this replica still had queued goes too. */
  async clear(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.queuedBytes = 0;
    await this.flushing;
    await this.store.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }
}
