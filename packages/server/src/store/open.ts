/** Opens the store named by `--store`: `sqlite:PATH`, `sqlite::memory:` or `postgres://…`. */
import { isMarketoStoreUrl, parseMarketoTarget } from '../bridge/target.js';
import { openPostgresStore } from './postgres/open.js';
import { openSqliteStore } from './sqlite/open.js';
import type { Store } from './store.js';

export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) return openSqliteStore(url.slice('sqlite:'.length) || './mktows.db');
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgresStore(url);
  throw new Error(`--store must be sqlite:PATH, sqlite::memory: or postgres://…; got "${url}"`);
}

/** The store URL as messages and the banner show it: a PostgreSQL password replaced by `***`. */
export function redactStoreUrl(url: string): string {
  if (isMarketoStoreUrl(url)) {
    try {
      return parseMarketoTarget(url).redacted;
    } catch {
      return 'marketo+…';
    }
  }
  if (!/^postgres(ql)?:\/\//.test(url)) return url;
  try {
    const u = new URL(url);
    if (u.password === '') return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}
