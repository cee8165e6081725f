/**
 * The storage and seed modules form no import cycle, type-only imports included: a backend folder
 * depends on the interfaces, never the other way round, and an interface file can be read alone.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to dist/test/: the sources are two folders up.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const CHECKED = ['store', 'seed', 'limits'];
const IMPORT = /^\s*(?:import|export)\b[^'";]*?from\s+'(\.{1,2}\/[^']+)'/gm;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of every source file, as source paths. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const deps: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      deps.push(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Each cycle once, as the list of files around it (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        onStack.delete(w);
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

test(`no import cycle touches ${CHECKED.join('/, ')}/`, () => {
  const found = cycles(importGraph())
    .map((scc) => scc.map((f) => relative(SRC, f)).sort())
    .filter((scc) => scc.some((f) => CHECKED.some((dir) => f.startsWith(`${dir}/`))));
  assert.deepEqual(found, []);
});

test('storage imports nothing from domain/', () => {
  const graph = importGraph();
  const bad: string[] = [];
  for (const [file, deps] of graph) {
    const from = relative(SRC, file);
    if (!from.startsWith('store/') && !from.startsWith('limits/')) continue;
    for (const d of deps) if (relative(SRC, d).startsWith('domain/')) bad.push(`${from} → ${relative(SRC, d)}`);
  }
  assert.deepEqual(bad, []);
});
