/**
 * `mkdir -p` one level at a time. Node 20's mkdirSync(…, { recursive: true }) never returns for
 * some paths (under /proc it loops on ENOENT at 100 % CPU, deaf to signals), so the store's parent
 * directories are made here: from the deepest one that exists, down, each failure an ordinary error.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      statSync(at);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const parent = dirname(at);
    if (parent === at) break;
    missing.push(at);
    at = parent;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      // Another process may have made it meanwhile.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
