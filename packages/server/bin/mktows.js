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
  // The thread shuts down on the first signal; the process ends here on a second one, or when the
  // thread has not stopped within the shutdown grace plus a margin (SHUTDOWN_MARGIN_MS in main.ts).
  // Until the thread reports the grace, nothing is in flight: only the margin applies.
  let graceMs = 0;
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (signalled) {
        console.error(`mktows: ${signal} again; exiting without waiting`);
        process.exit(1);
      }
      signalled = true;
      worker.postMessage({ signal });
      setTimeout(() => {
        console.error(`mktows: shutdown took longer than ${graceMs + 3000} ms; exiting`);
        process.exit(1);
      }, graceMs + 3000).unref();
    });
  }
  worker.on('message', (m) => {
    if ('graceMs' in m) graceMs = m.graceMs;
    if ('exit' in m) process.exit(m.exit);
    if ('done' in m) {
      process.exitCode = m.done;
      // A call cut at the end of the grace may leave a timer in the thread; its output is flushed by now.
      setTimeout(() => process.exit(m.done), 500).unref();
    }
  });
  worker.on('error', (e) => {
    console.error(`mktows: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  });
} else {
  const { run } = await import(main.href);
  const code = await run(argv);
  // A stopped server may leave a timer behind (a call cut at the end of the shutdown grace).
  if (argv[0] === 'serve') process.exit(code);
  process.exitCode = code;
}
