/**
 * A bridge's importToList records (migration 0012): per list on the Marketo instance, the newest
 * import the bridge started into it. SOAP asks for an import's status by program and list only,
 * and REST by batch id only; this is the link, kept in the bridge's state store so that it holds
 * after a restart and for every replica. Reached as `store.bridgeImports`.
 */
export type BridgeImportStatus = 'PROCESSING' | 'COMPLETE' | 'FAILED';

export interface BridgeImport {
  listId: number;
  /** `Program Name.List Name`. */
  listName: string;
  mode: 'UPSERTLEADS' | 'LISTONLY';
  /** REST's bulk import batch (UPSERTLEADS); null for LISTONLY, which is done by the call itself. */
  batchId: number | null;
  /** As last seen: a finished import is not asked about again. */
  status: BridgeImportStatus;
  estimatedRows: number;
  rowsImported: number | null;
  rowsFailed: number | null;
  rowsIgnored: number | null;
  summary: string | null;
  startedAt: number;
  endedAt: number | null;
}

export interface BridgeImportStore {
  /** Records an import, replacing the list's earlier one. */
  putBridgeImport(entry: BridgeImport): Promise<void>;
  /** The newest import into the list, if the bridge started one. */
  getBridgeImport(listId: number): Promise<BridgeImport | undefined>;
}
