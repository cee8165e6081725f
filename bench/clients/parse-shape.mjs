/**
 * One hostile-shapes measure, in a process of its own so that its peak RSS is its own:
 * `node parse-shape.mjs <shape> <bytes>` prints one JSON line (MB/s parsed, peak RSS growth).
 * The parser is warmed on normal requests first, as a serving process's is.
 */
import { readFileSync } from 'node:fs';
import { BENCH_SHAPES, load } from '../lib/shapes.mjs';

const { parseXmlBytes } = await load('src/xml/parse.js');
const { syncRequest } = await load('test/hostile-shapes.js');

const [name, bytesArg] = process.argv.slice(2);
const target = Number(bytesArg);
const make = BENCH_SHAPES[name].make;
/** Grows n until the document reaches the target size (the shapes are linear in n). */
let n = 1;
while (make(n).length * 2 <= target) n *= 2;
n = Math.max(1, Math.floor((n * target) / make(n).length));
const body = Buffer.from(make(n));

const warm = Buffer.from(syncRequest(20, 20));
for (let i = 0; i < 200; i++) parseXmlBytes(warm);

const vmHwmMiB = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
const rssBefore = Math.max(vmHwmMiB(), process.memoryUsage().rss / 2 ** 20);
let outcome = 'parsed';
const parse = () => {
  try {
    parseXmlBytes(body);
  } catch (e) {
    outcome = e.name === 'XmlLimitError' ? e.message.replace(/ at offset \d+$/, '') : `error: ${e.message}`;
  }
};
// The first parse gives the peak memory; the best of the next five the speed (the compiler has
// seen the shape by then).
let best = Number.POSITIVE_INFINITY;
let peak = 0;
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  parse();
  if (i === 0) peak = vmHwmMiB();
  else best = Math.min(best, performance.now() - t);
}
const mb = body.length / 2 ** 20;
process.stdout.write(
  `${JSON.stringify({ name, bytes: body.length, ms: best, mbPerSec: mb / (best / 1000), rssPerMb: (peak - rssBefore) / mb, outcome })}\n`,
);
