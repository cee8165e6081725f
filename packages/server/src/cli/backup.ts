/**
 * `mktows backup --store URL FILE [--force]`: a consistent copy of a SQLite store, safe while a
 * server is using it. Progress goes to stderr (for stores large enough to take a while), the
 * result to stdout.
 */
import { BackupError, backupSqliteFile, sqliteStorePath } from '../backup/sqlite-backup.js';
import { closest } from './options.js';

export interface BackupIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** Stores of at least this many pages (4 KiB each: 32 MiB) report progress. */
export const PROGRESS_MIN_PAGES = 8192;

export function backupHelp(): string {
  return [
    'Usage: mktows backup [--store URL] FILE [--force]',
    '',
    'Writes a consistent copy of a SQLite store to FILE, also while a server is using it (unlike cp',
    'of a live WAL database). FILE is one self-contained SQLite file: serve it with --store sqlite:FILE.',
    '',
    'Options:',
    '  --store URL   the store to copy (default: $MKTOWS_STORE, else sqlite:./mktows.db);',
    '                a PostgreSQL store is backed up with pg_dump instead',
    '  --force       replace FILE if it exists (it is replaced only once the copy is complete)',
    '',
  ].join('\n');
}

/** Runs the command; returns the exit code (0 done, 1 failed, 2 usage). */
export async function backupCommand(args: string[], io: BackupIo): Promise<number> {
  let store = io.env.MKTOWS_STORE || 'sqlite:./mktows.db';
  let force = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') {
      io.out(backupHelp());
      return 0;
    }
    if (a === '--force') force = true;
    else if (a === '--store' || a.startsWith('--store=')) {
      const v = a === '--store' ? args[++i] : a.slice('--store='.length);
      if (!v) return usage(io, '--store needs a value: sqlite:PATH');
      store = v;
    } else if (a.startsWith('-') && a !== '-') {
      const near = closest(a.replace(/^-+/, '').split('=')[0], ['store', 'force', 'help']);
      return usage(io, `unknown option ${a.split('=')[0]}${near ? `; did you mean --${near}?` : ''}`);
    } else files.push(a);
  }
  if (files.length !== 1)
    return usage(io, files.length === 0 ? 'name the backup FILE' : `one backup FILE, got ${files.length}`);
  let lastShown = -1;
  try {
    const source = sqliteStorePath(store);
    const done = await backupSqliteFile(source, files[0], {
      force,
      onProgress({ totalPages, remainingPages }) {
        if (totalPages < PROGRESS_MIN_PAGES) return;
        const pct = Math.floor(((totalPages - remainingPages) / totalPages) * 100);
        if (pct - lastShown < 10 && pct !== 100) return;
        lastShown = pct;
        io.err(`backup: ${pct}% (${totalPages - remainingPages} of ${totalPages} pages)\n`);
      },
    });
    const mb = (done.bytes / 1048576).toFixed(1);
    io.out(`backed up ${store} to ${done.file} (${done.pages} pages, ${mb} MB, ${done.durationMs} ms)\n`);
    return 0;
  } catch (e) {
    if (e instanceof BackupError) {
      io.err(`mktows backup: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function usage(io: BackupIo, message: string): number {
  io.err(`mktows backup: ${message} (run mktows backup --help)\n`);
  return 2;
}
