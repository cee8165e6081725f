/**
 * The store backends every contract suite runs against, as kysely's tests loop over its dialects:
 * all of them by default, or those that MKTOWS_TEST_STORE names (comma-separated ids or schemes:
 * `sqlite-memory`, `sqlite`, later `postgres`), so that CI can run each backend in its own job.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

export interface StoreBackend {
  /** What MKTOWS_TEST_STORE names it by. */
  readonly id: string;
  /** The --store URL scheme, which also selects it. */
  readonly scheme: string;
  /** In suite titles. */
  readonly name: string;
  /** A new, empty store; `label` keeps file stores of one run apart. */
  open(label: string): Promise<Store>;
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
];

function selected(): readonly StoreBackend[] {
  const wanted = (process.env.MKTOWS_TEST_STORE ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (wanted.length === 0) return ALL;
  return ALL.filter((b) => wanted.includes(b.id) || wanted.includes(b.scheme));
}

export const STORE_BACKENDS = selected();
