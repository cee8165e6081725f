/**
 * Splitting a large request into calls of at most `size` items. Results come back by batch index,
 * so merging them keeps the input order whatever order the calls finish in.
 */
import { BatchError } from './errors.js';
import type { CallOptions } from './types.js';

export interface BatchOptions extends CallOptions {
  /** Items per call (defaults: syncMultipleLeads 300, listOperation 1000, requestCampaign 100). */
  batchSize?: number;
  /** Calls at once (default 1; the client's limits apply to each call anyway). */
  concurrency?: number;
}

/** Default items per call of the batch helpers. */
export const BATCH_SIZES = { syncMultipleLeads: 300, listOperation: 1000, requestCampaign: 100 } as const;

export async function inBatches<T, R>(
  operation: string,
  items: readonly T[],
  options: BatchOptions,
  defaultSize: number,
  run: (chunk: T[], index: number) => Promise<R>,
): Promise<R[]> {
  const size = options.batchSize ?? defaultSize;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batchSize must be a positive integer, got ${size}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  const results: (R | undefined)[] = new Array(chunks.length).fill(undefined);
  let next = 0;
  type Failure = { index: number; cause: unknown };
  const failed: { first?: Failure } = {};
  const worker = async () => {
    while (failed.first === undefined && next < chunks.length) {
      const i = next++;
      try {
        results[i] = await run(chunks[i], i);
      } catch (cause) {
        // Another worker may have failed meanwhile: keep the earliest batch.
        const prev = failed.first as Failure | undefined;
        if (prev === undefined || i < prev.index) failed.first = { index: i, cause };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  const failure = failed.first;
  if (failure) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new BatchError<R>({
      operation,
      batchIndex: failure.index,
      firstItem: failure.index * size,
      results,
      cause: failure.cause,
    });
  }
  return results as R[];
}
