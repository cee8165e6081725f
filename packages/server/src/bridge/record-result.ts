/** A REST write's per-record result (`{status, reasons}`, MAPPING.md B7) as the bridge reads it. */
export interface RestRecordResult {
  status?: string;
  reasons?: { code?: string; message?: string }[];
}

/** The first reason of a skipped REST record. */
export function reasonOf(r: RestRecordResult | undefined): { code: number; message: string } {
  const first = r?.reasons?.[0];
  return { code: Number(first?.code ?? 0), message: first?.message ?? 'skipped by Marketo' };
}
