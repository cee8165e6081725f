/**
 * `POST /_mktows/backup` `{ "path", "force"? }`: a consistent copy of the SQLite store into the
 * directory the operator named with --backup-dir, and nowhere else. Without --backup-dir it writes
 * nothing: an admin client must not be able to write files where the operator did not allow it.
 */

import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { BackupError, backupSqliteFile, sqliteStorePath } from '../backup/sqlite-backup.js';
import type { Runtime } from '../runtime.js';
import type { AdminResponse } from './routes.js';

function refuse(message: string): AdminResponse {
  return { status: 400, body: { error: message } };
}

export async function adminBackup(rt: Runtime, body: Record<string, unknown>): Promise<AdminResponse> {
  const { path, force } = body;
  if (typeof path !== 'string' || path.trim() === '')
    return refuse('path must be the name of the backup file inside --backup-dir');
  if (force !== undefined && typeof force !== 'boolean') return refuse('force must be true or false');
  const dir = rt.config.backupDir;
  if (!dir) {
    return refuse(
      'backups through the admin API are written only into a directory the server was started with (--backup-dir DIR); or run mktows backup --store URL FILE',
    );
  }
  let source: string;
  try {
    source = sqliteStorePath(rt.config.store);
  } catch (e) {
    if (e instanceof BackupError) return refuse(e.message);
    throw e;
  }
  // The parent directory with links resolved must be --backup-dir or inside it: no `..`, no link out.
  const target = resolve(dir, path);
  let parent: string;
  try {
    parent = await realpath(dirname(target));
  } catch {
    return refuse(`path ${JSON.stringify(path)}: no such directory inside --backup-dir`);
  }
  if (parent !== dir && !parent.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`))
    return refuse(`path ${JSON.stringify(path)} must name a file inside --backup-dir`);
  const file = join(parent, basename(target));
  if (force !== true && existsSync(file))
    return {
      status: 409,
      body: { error: `path ${JSON.stringify(path)} exists; choose another name or send "force": true` },
    };
  try {
    const done = await backupSqliteFile(source, file, { force: force === true });
    return { status: 200, body: { path, pages: done.pages, bytes: done.bytes, durationMs: done.durationMs } };
  } catch (e) {
    // Messages name the path as the client gave it; nothing quotes what a file holds.
    if (e instanceof BackupError) return refuse(e.message.replaceAll(file, path));
    throw e;
  }
}
