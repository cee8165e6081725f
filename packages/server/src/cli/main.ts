/**
 * The `mktows` command: `serve`, `backup`, `bridge check`, `errors`, `call`, `help`, `--version`. bin/mktows.js calls run(argv) and
 * exits with what it returns: 0 success, 1 runtime or startup failure (and no command), 2 usage error.
 */
import { runCall } from '@mktows/client';
import { FAULTS, type FaultDef, REST_ERRORS, type RestErrorDef } from '@mktows/protocol';
import { DEMO_REST_CLIENT, DEMO_USER, type ServerConfig } from '../config.js';
import { formatWindow } from '../limits/parse.js';
import { redacted } from '../limits/redis/connection.js';
import { SeedError } from '../seed/seed.js';
import { type RunningServer, startServer } from '../server.js';
import { redactStoreUrl } from '../store/open.js';
import { StoreUnavailableError } from '../store/store.js';
import { VERSION } from '../version.js';
import { backupCommand, backupHelp } from './backup.js';
import { bridgeCommand, bridgeHelp } from './bridge-check.js';
import { REST_RETRY_MEANING, RETRY_MEANING } from './errors-doc.js';
import { closest, OptionsError, type ReadFile, type ResolvedServe, resolveServe, serveHelp } from './options.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** What run() talks to; tests may replace any part. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  readFile?: ReadFile;
  /** Signals to shut down on (default: process). */
  signals: Pick<NodeJS.Process, 'on' | 'off'>;
  /** Ends the process at once (second signal). */
  exit(code: number): void;
  /** Told the settings once the server listens (the serve thread passes the grace to the main thread). */
  listening?(config: ServerConfig): void;
}

function defaultIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
    signals: process,
    exit: (code) => process.exit(code),
  };
}

const COMMANDS = ['serve', 'backup', 'bridge', 'errors', 'call', 'help', 'version'];

export function mainHelp(): string {
  return [
    `mktows ${VERSION}: a self-hostable, wire-compatible Marketo SOAP API server`,
    '',
    'Usage: mktows <command> [options]',
    '',
    'Commands:',
    '  serve               start the server (`npm start` runs this)',
    '  backup FILE         write a consistent copy of a SQLite store (mktows backup --help)',
    "  bridge check        check a bridge's Marketo instance: credentials, operations, lead fields",
    '  errors [CODE...]    print the error catalogue as a table; --json prints it as JSON',
    '  call <operation>    call an operation through @mktows/client (mktows call --help)',
    '  help [COMMAND]      print this text, or the help of a command',
    '',
    'Options:',
    '  --help, -h          print help',
    '  --version, -v       print the version',
    '',
    serveHelp(),
  ].join('\n');
}

function errorsHelp(): string {
  return [
    'Usage: mktows errors [CODE...] [--rest] [--json]',
    '',
    'Prints the error catalogues: the SOAP faults (code, faultcode side, message, retry advice, when the',
    'server raises it), then the REST errors (code, message, level, retry advice, SOAP fault of the bridge).',
    'With codes, only those (SOAP and REST codes do not overlap). --rest prints the REST catalogue alone.',
    '--json prints the entries as a JSON array: the SOAP catalogue, or with --rest the REST one.',
    '',
  ].join('\n');
}

export async function run(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli: CliIo = { ...defaultIo(), ...io };
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      cli.err(mainHelp());
      return EXIT_FAILURE;
    case 'help':
    case '--help':
    case '-h': {
      const topic = command === 'help' ? rest[0] : undefined;
      if (topic === 'serve') cli.out(serveHelp());
      else if (topic === 'call') return runCall(['--help'], cli.env, cli);
      else if (topic === 'errors') cli.out(errorsHelp());
      else if (topic === 'backup') cli.out(backupHelp());
      else if (topic === 'bridge') cli.out(bridgeHelp());
      else if (topic === undefined) cli.out(mainHelp());
      else return usage(cli, unknownCommand(topic));
      return EXIT_OK;
    }
    case 'version':
    case '--version':
    case '-v':
      cli.out(`${VERSION}\n`);
      return EXIT_OK;
    case 'errors':
      return errorsCommand(rest, cli);
    case 'serve':
      return serveCommand(rest, cli);
    case 'backup':
      return backupCommand(rest, cli);
    case 'bridge':
      return bridgeCommand(rest, cli);
    case 'call':
      return runCall(rest, cli.env, cli);
    default:
      return usage(cli, command.startsWith('-') ? unknownTopOption(command) : unknownCommand(command));
  }
}

function unknownCommand(command: string): string {
  const near = closest(command, COMMANDS);
  return `unknown command ${JSON.stringify(command)}${near ? `; did you mean ${near}?` : ''} (run mktows --help)`;
}

function unknownTopOption(option: string): string {
  return `unknown option ${option.split('=')[0]}; a command comes first: mktows serve ${option} (run mktows --help)`;
}

function usage(cli: CliIo, message: string): number {
  cli.err(`mktows: ${message}\n`);
  return EXIT_USAGE;
}

function isHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

// ---------------------------------------------------------------------------------------------------
// errors

function errorsCommand(args: string[], cli: CliIo): number {
  if (isHelp(args)) {
    cli.out(errorsHelp());
    return EXIT_OK;
  }
  let json = false;
  let restOnly = false;
  const codes: number[] = [];
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a === '--rest') restOnly = true;
    else if (/^\d+$/.test(a)) {
      if (!FAULTS.some((f) => f.code === Number(a)) && !REST_ERRORS.some((e) => e.code === Number(a)))
        return usage(cli, `unknown error code ${a} (run mktows errors for the list)`);
      codes.push(Number(a));
    } else if (a.startsWith('-')) {
      const near = closest(a.replace(/^-+/, ''), ['json', 'rest', 'help']);
      return usage(cli, `unknown option ${a}${near ? `; did you mean --${near}?` : ''}`);
    } else return usage(cli, `unexpected argument ${JSON.stringify(a)}; give fault codes such as 20103`);
  }
  const faults = restOnly ? [] : codes.length ? FAULTS.filter((f) => codes.includes(f.code)) : FAULTS;
  const rest = codes.length ? REST_ERRORS.filter((e) => codes.includes(e.code)) : REST_ERRORS;
  if (json) {
    cli.out(`${JSON.stringify(restOnly ? rest : faults, null, 2)}\n`);
    return EXIT_OK;
  }
  const parts = [...(faults.length ? [errorsTable(faults)] : []), ...(rest.length ? [restErrorsTable(rest)] : [])];
  cli.out(parts.join('\n'));
  return EXIT_OK;
}

/** The REST catalogue as a plain-text table. */
export function restErrorsTable(errors: readonly RestErrorDef[]): string {
  const header = ['REST', 'MESSAGE', 'LEVEL', 'RETRY', 'SOAP', 'RAISED WHEN'];
  const rows = errors.map((e) => [String(e.code), e.message, e.level, e.retry, String(e.soap ?? '–'), e.trigger]);
  return plainTable(
    header,
    rows,
    [...new Set(errors.map((e) => e.retry))].map((r) => [r, REST_RETRY_MEANING[r]]),
  );
}

/** Rows padded to their column widths (the last column free), then the retry tokens explained. */
function plainTable(header: string[], rows: string[][], retries: [string, string][]): string {
  const last = header.length - 1;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i < last ? r[i].length : 0))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i < last ? c.padEnd(widths[i]) : c))
      .join('  ')
      .trimEnd();
  const w = Math.max(...retries.map(([r]) => r.length));
  return [
    line(header),
    ...rows.map(line),
    '',
    'Retry advice:',
    ...retries.map(([r, meaning]) => `  ${r.padEnd(w)}  ${meaning}`),
    '',
  ].join('\n');
}

/** The catalogue as a plain-text table. */
export function errorsTable(faults: readonly FaultDef[]): string {
  const header = ['CODE', 'FAULTCODE', 'MESSAGE', 'RETRY', 'RAISED WHEN'];
  const rows = faults.map((f) => [String(f.code), `SOAP-ENV:${f.side}`, f.message, f.retry, f.trigger]);
  return plainTable(
    header,
    rows,
    [...new Set(faults.map((f) => f.retry))].map((r) => [r, RETRY_MEANING[r]]),
  );
}

// ---------------------------------------------------------------------------------------------------
// serve

async function serveCommand(args: string[], cli: CliIo): Promise<number> {
  if (isHelp(args)) {
    cli.out(serveHelp());
    return EXIT_OK;
  }
  let resolved: ResolvedServe;
  try {
    resolved = resolveServe(args, cli.env, cli.readFile);
  } catch (e) {
    if (e instanceof OptionsError) return usage(cli, e.message);
    throw e;
  }
  const { config } = resolved;
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (e) {
    cli.err(`mktows: ${startupMessage(e, config)}\n`);
    return EXIT_FAILURE;
  }
  let text: string;
  try {
    text = await banner(server, resolved);
  } catch (e) {
    await server.close().catch(() => undefined);
    cli.err(`mktows: ${startupMessage(e, config)}\n`);
    return EXIT_FAILURE;
  }
  // Listen for signals before printing: whoever reads the banner may signal at once.
  const stopped = waitForShutdown(server, cli);
  cli.listening?.(server.runtime.config);
  cli.out(text);
  return stopped;
}

/** One line for an error that stopped the server from starting; no stack trace. */
export function startupMessage(e: unknown, config: ServerConfig): string {
  const err = e as NodeJS.ErrnoException & { syscall?: string };
  const message = e instanceof Error ? e.message : String(e);
  if (err?.syscall === 'listen' || err?.syscall === 'getaddrinfo') {
    switch (err.code) {
      case 'EADDRINUSE':
        return `port ${config.port} is in use; choose another with --port`;
      case 'EACCES':
        return `no permission to listen on ${config.host} port ${config.port}; choose a port above 1023 with --port`;
      case 'EADDRNOTAVAIL':
        return `cannot listen on ${config.host}: not an address of this machine; choose another with --host`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `cannot resolve host ${config.host}; choose another with --host`;
    }
    return `cannot listen on ${config.host} port ${config.port}: ${message}`;
  }
  if (e instanceof SeedError) return message;
  const code = typeof err?.code === 'string' ? err.code : '';
  if (
    e instanceof StoreUnavailableError ||
    code.startsWith('SQLITE_') ||
    err?.syscall === 'mkdir' ||
    err?.syscall === 'stat' ||
    err?.syscall === 'open' ||
    /database/i.test(message)
  ) {
    return `cannot open store ${redactStoreUrl(config.store)}: ${message}`;
  }
  return message.split('\n')[0];
}

/** Where the server is reached from this machine. */
function localBase(server: RunningServer, config: ServerConfig): { base: string; note: string } {
  if (config.host === '0.0.0.0')
    return { base: `http://127.0.0.1:${server.port}`, note: ' (listening on all IPv4 interfaces)' };
  if (config.host === '::') return { base: `http://[::1]:${server.port}`, note: ' (listening on all interfaces)' };
  return { base: server.url, note: '' };
}

/** The startup banner (stdout). */
export async function banner(server: RunningServer, resolved: ResolvedServe): Promise<string> {
  const config = server.runtime.config;
  const local = localBase(server, config);
  const base = config.publicUrl ?? local.base;
  const note = config.publicUrl ? ` on ${local.base}` : local.note;
  const soap = `${base}/soap/mktows/3_1`;
  let store: string;
  if (server.runtime.bridge) {
    store = `${redactStoreUrl(config.store)} (bridge: SOAP served from that instance's REST API, ${config.upstreamRatePerWindow}/${formatWindow(config.upstreamWindowMs)}, ${config.upstreamConcurrency} in flight, ${config.upstreamQuotaPerDay} calls/day upstream; own state in ${redactStoreUrl(config.bridgeState)})`;
  } else if (server.seeded) {
    store = `${redactStoreUrl(config.store)} (seeded: ${config.seed}, ${server.seeded.leads.created} leads)`;
  } else {
    const leads = await server.runtime.store.countLeads();
    store =
      leads > 0
        ? `${redactStoreUrl(config.store)} (existing data: ${leads} leads)`
        : `${redactStoreUrl(config.store)} (empty)`;
  }
  const limits = [
    server.runtime.limits.kind === 'memory' ? 'memory' : redacted(config.limits),
    `${config.quotaPerDay} calls/day (${config.quotaTimeZone})`,
    `${config.ratePerWindow}/${formatWindow(config.windowMs)}`,
    `${config.concurrency} in flight`,
  ].join(' · ');
  const users = resolved.config.users.length === 0 ? [DEMO_USER] : resolved.config.users;
  const credentials = users.map((u) => {
    const isDemo = u.userId === DEMO_USER.userId && u.encryptionKey === DEMO_USER.encryptionKey;
    const from = resolved.usersFrom === 'default' ? 'demo' : `from ${resolved.usersFrom}`;
    const key = isDemo ? u.encryptionKey : `(${from})`;
    return `user ${u.userId}  key ${key}${u.blocked ? '  (blocked)' : ''}`;
  });
  // A configured secret is never printed; the demo client's is public.
  const restClients = config.restClients.map((c) =>
    c.clientId === DEMO_REST_CLIENT.clientId && c.clientSecret === DEMO_REST_CLIENT.clientSecret
      ? `client_id ${c.clientId}  client_secret ${c.clientSecret}`
      : `client_id ${c.clientId}  client_secret (configured)`,
  );
  const label = (l: string) => `  ${l.padEnd(13)}  `;
  return [
    `mktows ${VERSION} listening${note}`,
    `${label('SOAP endpoint')}${soap}   (any version 1_0…3_1)`,
    `${label('WSDL')}${soap}?WSDL`,
    // Without a token the admin API answers local clients only, so the local address is shown.
    `${label('Admin API')}${config.adminToken ? base : local.base}/_mktows/health   (${config.adminToken ? 'bearer token' : 'loopback only'})`,
    `${label('Console')}${config.adminToken ? base : local.base}/_mktows/console/`,
    `${label('Metrics')}${base}/metrics`,
    `${label('Store')}${store}`,
    `${label('Limits')}${limits}`,
    ...credentials.map((c, i) => `${label(i === 0 ? 'Credentials' : '')}${c}`),
    ...(server.runtime.bridge
      ? [`${label('REST API')}not served: a bridge serves SOAP only (the REST API is the instance's own)`]
      : [
          `${label('REST API')}${base}/rest/v1/…   token: ${base}/identity/oauth/token`,
          `${label('REST limits')}${config.restQuotaPerDay} calls/day · ${config.restRatePerWindow}/${formatWindow(config.restWindowMs)} · ${config.restConcurrency} in flight (whole instance)`,
          ...restClients.map((c, i) => `${label(i === 0 ? 'REST client' : '')}${c}`),
        ]),
    '',
  ].join('\n');
}

/** How long after the grace a shutdown may take (backends closing) before the process is ended anyway. */
export const SHUTDOWN_MARGIN_MS = 3000;

/** Resolves with the exit code once a SIGTERM or SIGINT has shut the server down. */
function waitForShutdown(server: RunningServer, cli: CliIo): Promise<number> {
  const graceMs = server.runtime.config.shutdownGraceMs;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        cli.err(`mktows: ${signal} again; exiting without waiting\n`);
        cli.exit(EXIT_FAILURE);
        resolve(EXIT_FAILURE);
        return;
      }
      stopping = true;
      // A shutdown that hangs (a backend that never closes) still ends the process.
      const deadline = setTimeout(() => {
        cli.err(`mktows: shutdown took longer than ${graceMs + SHUTDOWN_MARGIN_MS} ms; exiting\n`);
        cli.exit(EXIT_FAILURE);
        resolve(EXIT_FAILURE);
      }, graceMs + SHUTDOWN_MARGIN_MS);
      deadline.unref();
      const ended = (code: number) => {
        clearTimeout(deadline);
        cli.signals.off('SIGTERM', onSignal);
        cli.signals.off('SIGINT', onSignal);
        resolve(code);
      };
      cli.out(`shutting down (${signal}); waiting up to ${formatWindow(graceMs)} for calls in flight\n`);
      server.close().then(
        () => {
          cli.out('stopped\n');
          ended(EXIT_OK);
        },
        (e: unknown) => {
          cli.err(`mktows: shutdown failed: ${e instanceof Error ? e.message : String(e)}\n`);
          ended(EXIT_FAILURE);
        },
      );
    };
    cli.signals.on('SIGTERM', onSignal);
    cli.signals.on('SIGINT', onSignal);
  });
}
