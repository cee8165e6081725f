/**
 * Paging through the five stream operations: pass each response's position back
 * unchanged until the stream's normal end. 20123 "Stream at End" is an end too, never an error.
 * 20122 "Bad Stream Position" is thrown: restarting silently could yield records twice.
 */
import type { ResultOf, StreamOperation, StreamRecords } from './types.js';

interface StreamSpec<K extends StreamOperation> {
  records(page: ResultOf<K>): StreamRecords[K][];
  /** The params that fetch the next page, or undefined at the normal end. */
  next(page: ResultOf<K>): Record<string, unknown> | undefined;
}

type Specs = { [K in StreamOperation]: StreamSpec<K> };

export const STREAMS: Specs = {
  // End: remainingCount 0 and an empty newStreamPosition.
  getMultipleLeads: {
    records: (p) => p.leadRecordList?.leadRecord ?? [],
    next: (p) => (p.remainingCount > 0 && p.newStreamPosition ? { streamPosition: p.newStreamPosition } : undefined),
  },
  getCustomObjects: {
    records: (p) => p.customObjList?.customObj ?? [],
    next: (p) => (p.remainingCount > 0 && p.newStreamPosition ? { streamPosition: p.newStreamPosition } : undefined),
  },
  // End: hasMore false.
  getMObjects: {
    records: (p) => p.mObjectList?.mObject ?? [],
    next: (p) => (p.hasMore && p.newStreamPosition ? { streamPosition: p.newStreamPosition } : undefined),
  },
  // End: returnCount 0 with the position echoed; remainingCount 0 also means nothing is left.
  getLeadActivity: {
    records: (p) => p.activityRecordList?.activityRecord ?? [],
    next: (p) => (p.returnCount > 0 && p.remainingCount > 0 ? { startPosition: p.newStartPosition } : undefined),
  },
  getLeadChanges: {
    records: (p) => p.leadChangeRecordList?.leadChangeRecord ?? [],
    next: (p) => (p.returnCount > 0 && p.remainingCount > 0 ? { startPosition: p.newStartPosition } : undefined),
  },
};

export function isStreamOperation(name: string): name is StreamOperation {
  return Object.hasOwn(STREAMS, name);
}
