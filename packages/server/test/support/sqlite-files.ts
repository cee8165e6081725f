/** Breaking a running SQLite store's files, to see real backend failures (10001). */
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';

/**
 * Overwrites the database, its WAL and its shared-memory index with garbage, keeping every size.
 * (Truncating instead is no good: the -shm file is memory-mapped by SQLite, and shrinking it kills
 * the whole process with SIGBUS; truncating only the main file changes nothing, because the WAL and
 * the page cache still hold every page.) With a garbage wal-index SQLite rebuilds it from the WAL,
 * finds no valid WAL header, drops its page cache and reads page 1 of the main file: SQLITE_NOTADB.
 */
export function corrupt(dbPath: string): void {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    assert.ok(existsSync(f), `${f} should exist (the store runs in WAL mode)`);
    const size = statSync(f).size;
    const fd = openSync(f, 'r+');
    try {
      writeSync(fd, Buffer.alloc(size, 0xab), 0, size, 0);
    } finally {
      closeSync(fd);
    }
  }
}
