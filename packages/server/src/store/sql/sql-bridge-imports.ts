/** A bridge's importToList records in SQL (store/bridge-import-store.ts, table of 0012_bridge_imports). */
import type { Kysely, Transaction } from 'kysely';
import type { BridgeImport, BridgeImportStatus, BridgeImportStore } from '../bridge-import-store.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export class SqlBridgeImports implements BridgeImportStore {
  constructor(private readonly db: Db) {}

  async putBridgeImport(e: BridgeImport): Promise<void> {
    const values = {
      list_name: e.listName,
      mode: e.mode,
      batch_id: e.batchId,
      status: e.status,
      estimated_rows: e.estimatedRows,
      rows_imported: e.rowsImported,
      rows_failed: e.rowsFailed,
      rows_ignored: e.rowsIgnored,
      summary: e.summary,
      started_at: e.startedAt,
      ended_at: e.endedAt,
    };
    await this.db
      .insertInto('bridge_imports')
      .values({ list_id: e.listId, ...values })
      .onConflict((oc) => oc.column('list_id').doUpdateSet(values))
      .execute();
  }

  async getBridgeImport(listId: number): Promise<BridgeImport | undefined> {
    const r = await this.db.selectFrom('bridge_imports').selectAll().where('list_id', '=', listId).executeTakeFirst();
    if (!r) return undefined;
    return {
      listId: Number(r.list_id),
      listName: r.list_name,
      mode: r.mode as BridgeImport['mode'],
      batchId: num(r.batch_id),
      status: r.status as BridgeImportStatus,
      estimatedRows: Number(r.estimated_rows),
      rowsImported: num(r.rows_imported),
      rowsFailed: num(r.rows_failed),
      rowsIgnored: num(r.rows_ignored),
      summary: r.summary,
      startedAt: Number(r.started_at),
      endedAt: num(r.ended_at),
    };
  }
}
