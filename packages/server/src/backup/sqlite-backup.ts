/**
 * A consistent copy of a SQLite store while a server writes to it (`mktows backup`, `POST
 * /_mktows/backup`). A `cp` of a live WAL database copies the main file without the pages still in
 * `-wal`, so it can miss every recent write; SQLite's online backup API copies the database as one
 * reader sees it, WAL included.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export class BackupError extends Error {}

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

export interface BackupOptions {
  /** Replace an existing target file. */
  force?: boolean;
  onProgress?(p: BackupProgress): void;
}

export interface BackupSummary {
  /** Absolute path of the copy. */
  file: string;
  pages: number;
  bytes: number;
  durationMs: number;
}

/** Pages copied per step while nothing else writes: about 5 % of the database, at least 100. */
const STEPS = 20;

/** The database file a `--store` URL names; clear errors for the stores that have none. */
export function sqliteStorePath(storeUrl: string): string {
  if (/^postgres(ql)?:\/\//.test(storeUrl)) {
    throw new BackupError(
      'a PostgreSQL store is backed up with pg_dump (pg_dump -Fc "$URL" > mktows.dump) and restored with pg_restore; mktows backup copies SQLite stores only',
    );
  }
  if (!storeUrl.startsWith('sqlite:')) {
    throw new BackupError(`--store must be sqlite:PATH (or postgres://…, backed up with pg_dump); got "${storeUrl}"`);
  }
  const path = storeUrl.slice('sqlite:'.length) || './mktows.db';
  if (path === ':memory:') throw new BackupError('an in-memory store (sqlite::memory:) has no file to back up');
  return path;
}

/** Copies the SQLite database at `source` to `target` (a self-contained file, no -wal needed). */
export async function backupSqliteFile(
  source: string,
  target: string,
  opts: BackupOptions = {},
): Promise<BackupSummary> {
  const started = Date.now();
  const file = resolve(target);
  if (!existsSync(source) || !statSync(source).isFile()) throw new BackupError(`no SQLite database at ${source}`);
  if (resolve(source) === file) throw new BackupError('the backup file must not be the store itself');
  if (!opts.force && existsSync(file)) throw new BackupError(`${target} exists; choose another file or pass --force`);
  if (!existsSync(dirname(file)) || !statSync(dirname(file)).isDirectory())
    throw new BackupError(`cannot write ${target}: ${dirname(target)} is not a directory`);
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(source, { fileMustExist: true });
    // Fails with "file is not a database" for anything that is not SQLite.
    db.pragma('schema_version');
  } catch (e) {
    throw new BackupError(`${source} is not a SQLite database: ${(e as Error).message}`);
  }
  // The copy is written beside the target and moved into place complete: never a half-written FILE.
  const partial = resolve(dirname(file), `.${basename(file)}.partial-${randomBytes(4).toString('hex')}`);
  let pages = 0;
  try {
    let last = Number.POSITIVE_INFINITY;
    let restarted = false;
    const result = await db.backup(partial, {
      progress({ totalPages, remainingPages }) {
        pages = totalPages;
        // A write through another connection (the serving process) restarts a stepped copy, seen
        // as a step that left no fewer pages than the one before; after one restart the rest is
        // copied in a single step, one read transaction, which WAL lets run alongside the writer.
        // Without it a busy server could restart the copy forever.
        if (remainingPages >= last) restarted = true;
        last = remainingPages;
        opts.onProgress?.({ totalPages, remainingPages });
        return restarted ? totalPages : Math.max(100, Math.ceil(totalPages / STEPS));
      },
    });
    // The last step is not reported by the progress callback.
    opts.onProgress?.({ totalPages: result.totalPages, remainingPages: 0 });
    // One file that opens on its own: the copy leaves WAL mode (a server opening it returns to it).
    const copy = new BetterSqlite3(partial);
    try {
      copy.pragma('journal_mode = DELETE');
      pages = Number(copy.pragma('page_count', { simple: true }));
    } finally {
      copy.close();
    }
    if (opts.force) renameSync(partial, file);
    else {
      // link fails when the target appeared meanwhile: an existing file is never replaced.
      try {
        linkSync(partial, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST')
          throw new BackupError(`${target} exists; choose another file or pass --force`);
        throw e;
      }
    }
  } catch (e) {
    if (e instanceof BackupError) throw e;
    throw new BackupError(`cannot write ${target}: ${(e as Error).message}`);
  } finally {
    db.close();
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, { force: true });
  }
  return { file, pages, bytes: statSync(file).size, durationMs: Date.now() - started };
}
