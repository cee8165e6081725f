/**
 * Summaries of V8 CPU profiles (`node --cpu-prof`): the top frames by self time and by total
 * (inclusive) time, with the idle time left out of the percentages.
 * As a script: node bench/lib/profile.mjs FILE.cpuprofile [TOP]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './common.mjs';

function frameName(cf) {
  const url = cf.url ? relative(ROOT, cf.url.startsWith('file://') ? fileURLToPath(cf.url) : cf.url) : '';
  const where = url ? ` ${url}:${cf.lineNumber + 1}` : '';
  return `${cf.functionName || '(anonymous)'}${where}`;
}

export function summarizeProfile(file, top = 15) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  let total = 0;
  let idle = 0;
  const self = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const name = frameName(node.callFrame);
    total += us;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    self.set(name, (self.get(name) ?? 0) + us);
    // Each frame on the stack gets the sample once, however often it recurs.
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const n = frameName(byId.get(p).callFrame);
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const rank = (m) =>
    [...m]
      .filter(([n]) => !n.startsWith('(root)') && !n.startsWith('(program)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / busy }));
  return { file, busyMs: busy / 1000, idleMs: idle / 1000, self: rank(self), inclusive: rank(inclusive) };
}

export function formatProfile(s) {
  const lines = [`profile ${relative(ROOT, s.file)}: ${s.busyMs.toFixed(0)} ms busy, ${s.idleMs.toFixed(0)} ms idle`];
  lines.push('  top self time:');
  for (const f of s.self) lines.push(`    ${f.pct.toFixed(1).padStart(5)}%  ${f.name}`);
  lines.push('  top total time:');
  for (const f of s.inclusive) lines.push(`    ${f.pct.toFixed(1).padStart(5)}%  ${f.name}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatProfile(summarizeProfile(process.argv[2], Number(process.argv[3] ?? 20))));
}
