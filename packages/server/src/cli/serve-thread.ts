/**
 * `mktows serve` inside a worker thread, started by bin/mktows.js. The thread gets a larger young
 * generation than Node's default (resourceLimits), which a process can only get from a command-line
 * flag: a 300-record syncMultipleLeads body is an element tree of about 13,000 objects, and with
 * the default size the collector copies it once or twice before the call ends (bench/RESULTS.md).
 * The main thread forwards SIGINT and SIGTERM here and ends the process with the code sent back;
 * it ends the process itself on a second signal, or when this thread has not stopped in time (a
 * thread stuck in a synchronous call never sees the forwarded signal).
 */
import { EventEmitter } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { run } from './main.js';

/** What the main thread and this thread say to each other. */
export type ToServeThread = { signal: NodeJS.Signals };
export type FromServeThread = { exit: number } | { done: number } | { graceMs: number };

const port = parentPort;
if (!port) throw new Error('serve-thread.js runs as a worker thread of bin/mktows.js');
const signals = new EventEmitter();
port.on('message', (m: ToServeThread) => {
  signals.emit(m.signal, m.signal);
});
const code = await run((workerData as { argv: string[] }).argv, {
  signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
  exit: (c) => port.postMessage({ exit: c } satisfies FromServeThread),
  // The main thread ends the process itself if this thread does not stop within the grace.
  listening: (config) => port.postMessage({ graceMs: config.shutdownGraceMs } satisfies FromServeThread),
});
port.postMessage({ done: code } satisfies FromServeThread);
port.close();
