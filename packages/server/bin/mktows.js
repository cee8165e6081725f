#!/usr/bin/env node
// The mktows command. The TypeScript sources compile to dist/ (`npm run build` at the repository root).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('mktows is not built yet: run `npm run build` in the repository root');
  process.exit(1);
}
const argv = process.argv.slice(2);
if (argv[0] === 'serve' && process.env.MKTOWS_SERVE_THREAD !== '0') {
  // The server runs in a worker thread with a larger young generation (src/cli/serve-thread.ts).
  // 96 MB: large syncs then stop copying their element trees; 192 MB made peak RSS swing by 30 %
  // from run to run (bench/RESULTS.md).
  const worker = new Worker(new URL('../dist/src/cli/serve-thread.js', import.meta.url), {
    workerData: { argv },
    resourceLimits: { maxYoungGenerationSizeMb: 96 },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => worker.postMessage({ signal }));
  worker.on('message', (m) => {
    if ('exit' in m) process.exit(m.exit);
    if ('done' in m) process.exitCode = m.done;
  });
  worker.on('error', (e) => {
    console.error(`mktows: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  });
} else {
  const { run } = await import(main.href);
  process.exitCode = await run(argv);
}
