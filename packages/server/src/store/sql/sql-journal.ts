/** The shared request journal in SQL (store/journal-store.ts): the table of 0009_journal (+ 0013's upstream). */
import { type Kysely, sql } from 'kysely';
import type { JournalEntry, JournalQuery, UpstreamCallRecord } from '../../journal.js';
import type { JournalRow, JournalStore } from '../journal-store.js';
import type { Database } from './schema.js';

/** PostgreSQL's text cannot hold U+0000; a body may (hostile requests do). */
function storable(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function storableOrNull(text: string | null): string | null {
  return text === null ? null : storable(text);
}

export class SqlJournal implements JournalStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(rows: readonly JournalRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('journal')
      .values(
        rows.map((r) => ({
          replica: storable(r.replica),
          api: r.api,
          at: r.at,
          user_id: storableOrNull(r.userId),
          operation: storableOrNull(r.operation),
          duration_ms: r.durationMs,
          status: r.status,
          fault_code: r.faultCode,
          request: storable(r.request),
          response: storable(r.response),
          upstream: r.upstream ? JSON.stringify(r.upstream) : null,
        })),
      )
      .execute();
  }

  async query(q: JournalQuery, limit: number): Promise<JournalEntry[]> {
    let query = this.db.selectFrom('journal').selectAll().orderBy('id', 'desc').limit(limit);
    if (q.code !== undefined) query = query.where('fault_code', '=', q.code);
    if (q.operation !== undefined) query = query.where('operation', '=', q.operation);
    if (q.userId !== undefined) query = query.where('user_id', '=', q.userId);
    if (q.api !== undefined) query = query.where('api', '=', q.api);
    if (q.sinceId !== undefined) query = query.where('id', '>', q.sinceId);
    if (q.search !== undefined) {
      // LIKE with its wildcards escaped: the search is plain text (an e-mail has `_` often enough).
      const pattern = `%${storable(q.search.toLowerCase()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(
        sql<boolean>`(lower(request) like ${pattern} escape '\\' or lower(response) like ${pattern} escape '\\')`,
      );
    }
    const rows = await query.execute();
    return rows.map((r) => ({
      id: Number(r.id),
      api: r.api === 'rest' ? 'rest' : 'soap',
      replica: r.replica,
      time: new Date(Number(r.at)).toISOString(),
      userId: r.user_id,
      operation: r.operation,
      durationMs: Number(r.duration_ms),
      status: Number(r.status),
      faultCode: r.fault_code === null ? null : Number(r.fault_code),
      request: r.request,
      response: r.response,
      ...(r.upstream ? { upstream: JSON.parse(r.upstream) as UpstreamCallRecord[] } : {}),
    }));
  }

  async trim(keep: number): Promise<void> {
    const cut = await this.db
      .selectFrom('journal')
      .select('id')
      .orderBy('id', 'desc')
      .offset(keep)
      .limit(1)
      .executeTakeFirst();
    if (cut) await this.db.deleteFrom('journal').where('id', '<=', cut.id).execute();
  }

  async clear(): Promise<void> {
    await this.db.deleteFrom('journal').execute();
  }
}
