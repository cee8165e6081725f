/**
 * The shared request journal as stored (shared-journal.ts writes it): the calls of every replica
 * sharing the store, newest first. Reached as `store.journal`.
 */
import type { JournalEntry, JournalQuery } from '../journal.js';

/**
 * One call as written: an entry without the id the table gives it, its time as epoch ms on the
 * server's clock, its bodies already cut to size and masked, so that no signature leaves the replica.
 */
export type JournalRow = Omit<JournalEntry, 'id' | 'time'> & { at: number };

export interface JournalStore {
  /** One multi-row insert. */
  insert(rows: readonly JournalRow[]): Promise<void>;
  /** Entries in the order they were written, newest first, at most `limit`. */
  query(q: JournalQuery, limit: number): Promise<JournalEntry[]>;
  /** Deletes all but the newest `keep` entries. */
  trim(keep: number): Promise<void>;
  clear(): Promise<void>;
}
