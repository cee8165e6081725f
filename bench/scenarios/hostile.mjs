/**
 * Hostile shapes (issue items 1–3): bodies built to make the parser slow or memory-hungry, each
 * parsed in a process of its own. For each: MB/s parsed (or refused: a body over a cap ends at the
 * cap), the peak RSS growth per MB of body, and MB/s relative to a normal request's in the same run.
 * Peak RSS counts the young generation the parse fills (up to 96 MB, as in `mktows serve`), so
 * it overstates small bodies.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_DIR } from '../lib/common.mjs';

import { BENCH_SHAPES } from '../lib/shapes.mjs';

const run = promisify(execFile);

async function measure(name, bytes) {
  // The young generation `mktows serve` gives its serving thread (96 MB: 3 semi-spaces of 32).
  const args = ['--max-semi-space-size=32', join(BENCH_DIR, 'clients', 'parse-shape.mjs'), name, String(bytes)];
  const { stdout } = await run(process.execPath, args, {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

export async function runHostile(opts, log) {
  const bytes = opts.hostileMB * 2 ** 20;
  const shapes = {};
  for (const [name, s] of Object.entries(BENCH_SHAPES)) {
    const m = await measure(name, bytes);
    m.what = s.what;
    shapes[name] = m;
    log(
      `  ${name.padEnd(24)} ${(m.bytes / 2 ** 20).toFixed(1)} MB  ${m.mbPerSec.toFixed(1).padStart(7)} MB/s  ${m.rssPerMb.toFixed(1).padStart(5)} MB RSS per MB  ${m.outcome}`,
    );
  }
  const base = shapes.normal.mbPerSec;
  for (const m of Object.values(shapes)) m.ratio = m.mbPerSec / base;
  return { mb: opts.hostileMB, shapes };
}
