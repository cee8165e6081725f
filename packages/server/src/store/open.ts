/** Opens the store named by `--store`: `sqlite:PATH`, `sqlite::memory:` (postgres:// comes later). */
import { openSqliteStore } from './sqlite/open.js';
import type { Store } from './store.js';

export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) return openSqliteStore(url.slice('sqlite:'.length) || './mktows.db');
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    throw new Error('the PostgreSQL store is not available yet; use --store sqlite:PATH');
  }
  throw new Error(`--store must be sqlite:PATH, sqlite::memory: or postgres://…; got "${url}"`);
}
