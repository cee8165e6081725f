/** Shared by the protocol tests: fault capture and the captured client requests of ../shared. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MktowsFault } from '../src/faults.js';

/** The MktowsFault that fn throws; fails when it throws nothing or something else. */
export function faultOf(fn: () => unknown): MktowsFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof MktowsFault) return e;
    throw e;
  }
  assert.fail('expected a MktowsFault');
}

/** Asserts that fn throws a MktowsFault with exactly this code and detail. */
export function assertFault(fn: () => unknown, code: number, detail: string): void {
  const f = faultOf(fn);
  assert.deepEqual({ code: f.code, detail: f.detail }, { code, detail });
}

/** ../shared, as scripts/run-tests.mjs passes it; undefined on a clone without it. */
export const SHARED_DIR: string | undefined = process.env.MKTOWS_SHARED_DIR || undefined;
export const SKIP_NO_SHARED = SHARED_DIR ? false : 'skipped: ../shared absent';

export interface Capture {
  /** `<stack>/<file>`, e.g. `axis1/getLead.http`. */
  readonly name: string;
  readonly stack: string;
  /** The operation the file captured (`getMultipleLeads.no-xsi-type.http` → getMultipleLeads). */
  readonly op: string;
  readonly head: string;
  readonly body: Buffer;
}

/** Every reference/client-requests/<stack>/<op>.http, split at the first CRLFCRLF. */
export function loadCaptures(sharedDir: string): Capture[] {
  const root = join(sharedDir, 'reference', 'client-requests');
  const out: Capture[] = [];
  for (const stack of readdirSync(root, { withFileTypes: true })) {
    if (!stack.isDirectory()) continue;
    for (const file of readdirSync(join(root, stack.name)).sort()) {
      if (!file.endsWith('.http')) continue;
      const raw = readFileSync(join(root, stack.name, file));
      const split = raw.indexOf('\r\n\r\n');
      assert.ok(split > 0, `${stack.name}/${file} has a head`);
      out.push({
        name: `${stack.name}/${file}`,
        stack: stack.name,
        op: file.slice(0, file.indexOf('.')),
        head: raw.subarray(0, split).toString('latin1'),
        body: raw.subarray(split + 4),
      });
    }
  }
  return out;
}
