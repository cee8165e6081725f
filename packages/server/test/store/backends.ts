/**
 * The store backends every contract suite runs against, as kysely's tests loop over its dialects:
 * the SQLite ones by default, or those that MKTOWS_TEST_STORE names (comma-separated ids or schemes:
 * `sqlite-memory`, `sqlite`, `postgres`), so that CI can run each backend in its own job. PostgreSQL
 * runs only when named: each store is a fresh database (test/support/test-database.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, testStoresWanted } from '../support/test-database.js';

export interface StoreBackend {
  /** What MKTOWS_TEST_STORE names it by. */
  readonly id: string;
  /** The --store URL scheme, which also selects it. */
  readonly scheme: string;
  /** In suite titles. */
  readonly name: string;
  /** A new, empty store; `label` keeps file stores of one run apart. */
  open(label: string): Promise<Store>;
  /** Runs only when MKTOWS_TEST_STORE names it (it needs a server). */
  readonly optIn?: boolean;
}

/** A store on a new database, which is dropped when the store closes. */
async function openPostgres(): Promise<Store> {
  const db = await createTestDatabase();
  const store = await openStore(db.url);
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await db.drop();
  };
  return store;
}

// File stores of one test file go in one directory, removed when the file's tests end.
const scratch = mkdtempSync(join(tmpdir(), 'mktows-store-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const ALL: readonly StoreBackend[] = [
  { id: 'sqlite-memory', scheme: 'sqlite', name: 'sqlite::memory:', open: () => openStore('sqlite::memory:') },
  {
    id: 'sqlite-file',
    scheme: 'sqlite',
    name: 'sqlite file',
    open: (label) => openStore(`sqlite:${join(scratch, `${label}.db`)}`),
  },
  { id: 'postgres', scheme: 'postgres', name: 'postgres', open: openPostgres, optIn: true },
];

function selected(): readonly StoreBackend[] {
  const wanted = testStoresWanted();
  if (wanted.length === 0) return ALL.filter((b) => !b.optIn);
  return ALL.filter((b) => wanted.includes(b.id) || wanted.includes(b.scheme));
}

export const STORE_BACKENDS = selected();
