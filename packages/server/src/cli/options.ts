/**
 * `mktows serve` options (README "Configuration"): flags, `MKTOWS_*` environment variables and an
 * optional `--config FILE` JSON document, merged with the precedence flag > env > file > default.
 * Only the winning value of each setting is parsed; a bad one is refused with an OptionsError that
 * names where it came from (`--port`, `MKTOWS_PORT`, `"port" in mktows.json`) and the bad value.
 * Encryption keys are never echoed.
 */
import { readFileSync } from 'node:fs';
import { assertTimeZone } from '@mktows/protocol';
import { isMarketoStoreUrl, parseMarketoTarget } from '../bridge/target.js';
import { DEFAULT_CONFIG, type RestClientConfig, type ServerConfig, type UserConfig } from '../config.js';
import { normalisePublicUrl, PublicUrlError } from '../http/public-url.js';
import { parseDuration, parseRate } from '../limits/parse.js';

/** A usage error: bad flag, environment variable or config file. The CLI exits with code 2. */
export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

export type ReadFile = (path: string) => string;

/** Marketo refuses encryption keys shorter than this. */
export const MIN_KEY_LENGTH = 10;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** Where a value came from, for messages: `--port`, `MKTOWS_PORT` or `"port" in mktows.json`. */
type Where = string;

interface OptionSpec {
  /** Flag name without the dashes. */
  readonly name: string;
  /** Placeholder in the help text. */
  readonly arg: string;
  /** The default, as shown in the help text. */
  readonly def: string;
  readonly help: string;
  /** Parses the winning value into the config. `value` is a string from a flag or env, anything from the file. */
  readonly apply?: (value: unknown, where: Where, config: ServerConfig) => void;
}

/** `quota-per-day` → `quotaPerDay` (the config file key). */
export function configKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `quota-per-day` → `MKTOWS_QUOTA_PER_DAY`. */
export function envName(flag: string): string {
  return `MKTOWS_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function got(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A bearer token: any non-empty text (it is compared whole, never parsed). */
function token(value: unknown, where: Where): string {
  const t = text(value);
  if (t === undefined || t.trim() === '') throw new OptionsError(`${where} must be a non-empty token`);
  return t;
}

function integer(value: unknown, where: Where, min: number, max: number, expected: string): number {
  const t = text(value)?.trim();
  const n = t !== undefined && /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new OptionsError(`${where} must be ${expected}; got ${got(value)}`);
  return n;
}

function nonNegative(value: unknown, where: Where): number {
  return integer(value, where, 0, Number.MAX_SAFE_INTEGER, 'a whole number of at least 0');
}

function positive(value: unknown, where: Where): number {
  return integer(value, where, 1, Number.MAX_SAFE_INTEGER, 'a whole number of at least 1');
}

function nonEmpty(value: unknown, where: Where, expected: string): string {
  const t = text(value);
  if (t === undefined || t.trim() === '') throw new OptionsError(`${where} must be ${expected}; got ${got(value)}`);
  return t.trim();
}

/** A duration flag of at least `min` ms: `15m`, `900s`, `500ms`, or a bare number of seconds. */
/** `--rate-limit` and `--rest-rate-limit`: calls per window. */
function rate(value: unknown, where: Where): { ratePerWindow: number; windowMs: number } {
  const t = text(value);
  try {
    if (t === undefined) throw new Error('not text');
    return parseRate(t);
  } catch {
    throw new OptionsError(
      `${where} must be <calls>/<window> with at least 1 call and a window of ms, s, m or h (a bare number means seconds), e.g. 100/20s or 5/1500ms; got ${got(value)}`,
    );
  }
}

function duration(value: unknown, where: Where, min: number, expected: string): number {
  const t = text(value);
  let ms = -1;
  try {
    if (t !== undefined) ms = parseDuration(t);
  } catch {
    ms = -1;
  }
  if (ms < min) {
    throw new OptionsError(
      `${where} must be ${expected} with a unit ms, s, m or h (a bare number means seconds), e.g. 15m, 900s or 500ms; got ${got(value)}`,
    );
  }
  return ms;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** `10mb`, `512kb`, `1gb`, `1.5mb` or a bare number of bytes (units are powers of 1024). */
export function parseSize(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)?$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor = SIZE_UNITS[unit];
  if (factor === undefined) return undefined;
  if (m[2] === undefined && m[1].includes('.')) return undefined;
  const bytes = Math.floor(Number(m[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

const STORE_EXPECTED =
  'sqlite:PATH, sqlite::memory:, postgres://… or marketo+https://CLIENT_ID:CLIENT_SECRET@HOST (the bridge)';
const STATE_EXPECTED = 'sqlite:PATH, sqlite::memory: or postgres://…';
const LIMITS_EXPECTED = 'memory or redis://…';

const SPECS: readonly OptionSpec[] = [
  {
    name: 'config',
    arg: 'FILE',
    def: 'none',
    help: 'JSON file of settings, keys in camelCase of the flag names (e.g. {"port": 9000, "rateLimit": "100/20s"})',
  },
  {
    name: 'host',
    arg: 'ADDR',
    def: DEFAULT_CONFIG.host,
    help: 'bind address',
    apply: (v, where, c) => {
      const host = nonEmpty(v, where, 'an IP address or host name');
      if (/\s/.test(host)) throw new OptionsError(`${where} must be an IP address or host name; got ${got(v)}`);
      c.host = host;
    },
  },
  {
    name: 'port',
    arg: 'N',
    def: String(DEFAULT_CONFIG.port),
    help: '0 picks a free port; the chosen port is printed',
    apply: (v, where, c) => {
      c.port = integer(v, where, 0, 65535, 'an integer from 0 to 65535');
    },
  },
  {
    name: 'store',
    arg: 'URL',
    def: DEFAULT_CONFIG.store,
    help: `${STORE_EXPECTED}`,
    apply: (v, where, c) => {
      const s = text(v)?.trim() ?? '';
      if (isMarketoStoreUrl(s)) {
        // The message never quotes the URL: it holds the client secret.
        try {
          parseMarketoTarget(s);
        } catch (e) {
          throw new OptionsError(`${where}: ${(e as Error).message}`);
        }
        c.store = s;
        return;
      }
      const ok = (s.startsWith('sqlite:') && s.length > 'sqlite:'.length) || /^postgres(ql)?:\/\/./.test(s);
      if (!ok) throw new OptionsError(`${where} must be ${STORE_EXPECTED}; got ${got(v)}`);
      c.store = s;
    },
  },
  {
    name: 'bridge-state',
    arg: 'URL',
    def: DEFAULT_CONFIG.bridgeState,
    help: `bridge only: where the bridge keeps its own state (users, fault rules, journal, import batch ids): ${STATE_EXPECTED}`,
    apply: (v, where, c) => {
      const s = text(v)?.trim() ?? '';
      const ok = (s.startsWith('sqlite:') && s.length > 'sqlite:'.length) || /^postgres(ql)?:\/\/./.test(s);
      if (!ok) throw new OptionsError(`${where} must be ${STATE_EXPECTED}; got ${got(v)}`);
      c.bridgeState = s;
    },
  },
  {
    name: 'upstream-rate-limit',
    arg: 'N/WINDOW',
    def: `${DEFAULT_CONFIG.upstreamRatePerWindow}/${DEFAULT_CONFIG.upstreamWindowMs / 1000}s`,
    help: 'bridge only: REST calls per sliding window it allows itself against the Marketo instance',
    apply: (v, where, c) => {
      const r = rate(v, where);
      c.upstreamRatePerWindow = r.ratePerWindow;
      c.upstreamWindowMs = r.windowMs;
    },
  },
  {
    name: 'upstream-concurrency',
    arg: 'N',
    def: String(DEFAULT_CONFIG.upstreamConcurrency),
    help: 'bridge only: REST calls in flight against the instance',
    apply: (v, where, c) => {
      c.upstreamConcurrency = positive(v, where);
    },
  },
  {
    name: 'upstream-quota-per-day',
    arg: 'N',
    def: String(DEFAULT_CONFIG.upstreamQuotaPerDay),
    help: 'bridge only: REST calls per day against the instance (the day ends at 00:00 in --quota-timezone)',
    apply: (v, where, c) => {
      c.upstreamQuotaPerDay = nonNegative(v, where);
    },
  },
  {
    name: 'upstream-max-wait',
    arg: 'DURATION',
    def: `${DEFAULT_CONFIG.upstreamMaxWaitMs / 1000}s`,
    help: "bridge only: how long a SOAP call may wait for the instance's limits (or a 606/615) before it faults with 20023/20024",
    apply: (v, where, c) => {
      c.upstreamMaxWaitMs = duration(v, where, 0, 'a duration of at least 0');
    },
  },
  {
    name: 'limits',
    arg: 'URL',
    def: DEFAULT_CONFIG.limits,
    help: 'memory (one process) or redis://host:port/db shared by replicas (?leaseTtl=15s, ?namespace=…)',
    apply: (v, where, c) => {
      const s = text(v)?.trim() ?? '';
      if (s !== 'memory' && !/^rediss?:\/\/./.test(s))
        throw new OptionsError(`${where} must be ${LIMITS_EXPECTED}; got ${got(v)}`);
      c.limits = s;
    },
  },
  {
    name: 'user',
    arg: 'ID:KEY',
    def: 'demo user',
    help: `API user and its encryption key (at least ${MIN_KEY_LENGTH} characters); repeatable; the env variable takes a comma-separated list`,
  },
  {
    name: 'seed',
    arg: 'SEED',
    def: 'demo on a new store',
    help: 'demo, none, or the path of a seed JSON file; applied when the store has no leads',
    apply: (v, where, c) => {
      c.seed = nonEmpty(v, where, 'demo, none or the path of a seed JSON file');
    },
  },
  {
    name: 'quota-per-day',
    arg: 'N',
    def: String(DEFAULT_CONFIG.quotaPerDay),
    help: 'calls per user per day; the day ends at 00:00 in --quota-timezone',
    apply: (v, where, c) => {
      c.quotaPerDay = nonNegative(v, where);
    },
  },
  {
    name: 'quota-timezone',
    arg: 'ZONE',
    def: DEFAULT_CONFIG.quotaTimeZone,
    help: 'IANA time zone of the quota day',
    apply: (v, where, c) => {
      const zone = text(v)?.trim() ?? '';
      const expected = 'an IANA time zone name such as America/Chicago or UTC';
      if (zone === '') throw new OptionsError(`${where} must be ${expected}; got ${got(v)}`);
      try {
        assertTimeZone(zone);
      } catch {
        throw new OptionsError(`${where} must be ${expected}; got ${got(v)}`);
      }
      c.quotaTimeZone = zone;
    },
  },
  {
    name: 'rate-limit',
    arg: 'N/WINDOW',
    def: `${DEFAULT_CONFIG.ratePerWindow}/${DEFAULT_CONFIG.windowMs / 1000}s`,
    help: 'calls per sliding window, per user (e.g. 100/20s, 5/1500ms)',
    apply: (v, where, c) => {
      const r = rate(v, where);
      c.ratePerWindow = r.ratePerWindow;
      c.windowMs = r.windowMs;
    },
  },
  {
    name: 'concurrency',
    arg: 'N',
    def: String(DEFAULT_CONFIG.concurrency),
    help: 'calls in flight, per user',
    apply: (v, where, c) => {
      c.concurrency = positive(v, where);
    },
  },
  {
    name: 'rest-client',
    arg: 'ID:SECRET',
    def: 'demo client',
    help: 'REST API client (OAuth client_credentials); repeatable; the env variable takes a comma-separated list',
  },
  {
    name: 'rest-quota-per-day',
    arg: 'N',
    def: String(DEFAULT_CONFIG.restQuotaPerDay),
    help: 'REST calls per day for the whole instance (all REST clients together); the day ends at 00:00 in --quota-timezone',
    apply: (v, where, c) => {
      c.restQuotaPerDay = nonNegative(v, where);
    },
  },
  {
    name: 'rest-rate-limit',
    arg: 'N/WINDOW',
    def: `${DEFAULT_CONFIG.restRatePerWindow}/${DEFAULT_CONFIG.restWindowMs / 1000}s`,
    help: 'REST calls per sliding window, whole instance',
    apply: (v, where, c) => {
      const r = rate(v, where);
      c.restRatePerWindow = r.ratePerWindow;
      c.restWindowMs = r.windowMs;
    },
  },
  {
    name: 'rest-concurrency',
    arg: 'N',
    def: String(DEFAULT_CONFIG.restConcurrency),
    help: 'REST calls in flight, whole instance',
    apply: (v, where, c) => {
      c.restConcurrency = positive(v, where);
    },
  },
  {
    name: 'rest-token-ttl',
    arg: 'DURATION',
    def: `${DEFAULT_CONFIG.restTokenTtlMs / 1000}s`,
    help: 'lifetime of a REST access token (e.g. 3600s, 1h)',
    apply: (v, where, c) => {
      c.restTokenTtlMs = duration(v, where, 1000, 'a duration of at least 1s');
    },
  },
  {
    name: 'signature-window',
    arg: 'DURATION',
    def: `${DEFAULT_CONFIG.signatureWindowMs / 60_000}m`,
    help: 'max age of requestTimestamp, and max skew into the future (e.g. 15m, 900s, 500ms)',
    apply: (v, where, c) => {
      c.signatureWindowMs = duration(v, where, 1, 'a positive duration');
    },
  },
  {
    name: 'max-body',
    arg: 'SIZE',
    def: '10mb',
    help: 'largest request body (e.g. 10mb, 512kb, 1gb, or bytes); larger bodies get 20012',
    apply: (v, where, c) => {
      const t = text(v);
      const bytes = t === undefined ? undefined : parseSize(t);
      if (bytes === undefined || bytes < 1) {
        throw new OptionsError(
          `${where} must be a size such as 10mb, 512kb, 1gb or a number of bytes (at least 1); got ${got(v)}`,
        );
      }
      c.maxBodyBytes = bytes;
    },
  },
  {
    name: 'admin-token',
    arg: 'TOKEN',
    def: 'none',
    help: 'bearer token for /_mktows/*; with none, the admin API answers loopback clients only',
    apply: (v, where, c) => {
      c.adminToken = token(v, where);
    },
  },
  {
    name: 'metrics-token',
    arg: 'TOKEN',
    def: 'the admin token',
    help: 'bearer token for /metrics, so a scraper need not hold the admin token; with neither token /metrics is open',
    apply: (v, where, c) => {
      c.metricsToken = token(v, where);
    },
  },
  {
    name: 'public-url',
    arg: 'URL',
    def: 'from the request',
    help: 'base URL written into WSDLs and the banner, behind a proxy or TLS terminator (e.g. https://mkto.example.com/api)',
    apply: (v, where, c) => {
      try {
        c.publicUrl = normalisePublicUrl(nonEmpty(v, where, 'an absolute http:// or https:// URL'));
      } catch (e) {
        if (e instanceof PublicUrlError) throw new OptionsError(`${where} must be ${e.message}; got ${got(v)}`);
        throw e;
      }
    },
  },
  {
    name: 'seed-dir',
    arg: 'DIR',
    def: 'none',
    help: 'directory the admin API may load seed files from ({"seed": "file.json"}); with none it loads documents and demo/none only',
    apply: (v, where, c) => {
      c.seedDir = nonEmpty(v, where, 'the path of a directory');
    },
  },
  {
    name: 'backup-dir',
    arg: 'DIR',
    def: 'none',
    help: 'directory POST /_mktows/backup may write copies into ({"path": "name.db"}); with none the admin API writes no backups',
    apply: (v, where, c) => {
      c.backupDir = nonEmpty(v, where, 'the path of a directory');
    },
  },
  {
    name: 'shutdown-grace',
    arg: 'DURATION',
    def: `${DEFAULT_CONFIG.shutdownGraceMs / 1000}s`,
    help: 'after SIGTERM/SIGINT, how long calls in flight may finish before their connections are cut (e.g. 10s, 500ms, 0)',
    apply: (v, where, c) => {
      c.shutdownGraceMs = duration(v, where, 0, 'a duration');
    },
  },
  {
    name: 'journal-size',
    arg: 'N',
    def: String(DEFAULT_CONFIG.journalSize),
    help: 'request/response pairs kept for inspection',
    apply: (v, where, c) => {
      c.journalSize = nonNegative(v, where);
    },
  },
  {
    name: 'replica-id',
    arg: 'ID',
    def: 'hostname:pid',
    help: "this process's name in the journal's entries (the replica field), e.g. the host:port a load balancer knows it by",
    apply: (v, where, c) => {
      c.replicaId = nonEmpty(v, where, 'a name');
    },
  },
  {
    name: 'journal-bytes',
    arg: 'SIZE',
    def: '64mb',
    help: "byte budget of the journal's kept bodies (older entries keep their fields, lose their bodies)",
    apply: (v, where, c) => {
      const t = text(v);
      const bytes = t === undefined ? undefined : parseSize(t);
      if (bytes === undefined) {
        throw new OptionsError(`${where} must be a size such as 64mb, 512kb or a number of bytes; got ${got(v)}`);
      }
      c.journalBytes = bytes;
    },
  },
  {
    name: 'log-level',
    arg: 'LEVEL',
    def: DEFAULT_CONFIG.logLevel,
    help: `structured log on stderr: ${LOG_LEVELS.join(', ')}`,
    apply: (v, where, c) => {
      const t = text(v)?.trim().toLowerCase();
      const level = LOG_LEVELS.find((l) => l === t);
      if (!level) throw new OptionsError(`${where} must be one of ${LOG_LEVELS.join(', ')}; got ${got(v)}`);
      c.logLevel = level;
    },
  },
];

const BY_NAME = new Map(SPECS.map((s) => [s.name, s]));
/** Config file keys: camelCase of each flag, plus `users` (objects) and the ServerConfig spelling `quotaTimeZone`. */
const FILE_KEYS = new Map<string, string>([
  ...SPECS.filter((s) => s.name !== 'config').map((s) => [configKey(s.name), s.name] as [string, string]),
  ['users', 'user'],
  ['restClients', 'rest-client'],
  ['quotaTimeZone', 'quota-timezone'],
]);

/** Every flag of `mktows serve`, for help texts and tests. */
export const SERVE_FLAGS: readonly string[] = SPECS.map((s) => `--${s.name}`);

/** Optimal string alignment distance (an adjacent transposition costs 1). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate, if it is close enough to be a likely typo (or the only one starting with `word`). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of list) {
    const dd = distance(w, c.toLowerCase());
    if (dd < bestD) {
      best = c;
      bestD = dd;
    }
  }
  const limit = w.length <= 4 ? 1 : w.length <= 8 ? 2 : 3;
  if (best !== undefined && bestD <= limit) return best;
  const prefixed = list.filter((c) => w.length >= 2 && c.toLowerCase().startsWith(w));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function unknownOption(arg: string): OptionsError {
  const name = arg.replace(/^-+/, '').split('=')[0];
  const near = closest(name, BY_NAME.keys());
  const shown = arg.split('=')[0];
  return new OptionsError(near ? `unknown option ${shown}; did you mean --${near}?` : `unknown option ${shown}`);
}

function parseUser(spec: string, where: Where): UserConfig {
  const colon = spec.indexOf(':');
  if (colon < 0)
    throw new OptionsError(
      `${where} must be ID:KEY (user id, a colon, then the encryption key); got a value without a colon`,
    );
  const userId = spec.slice(0, colon).trim();
  const encryptionKey = spec.slice(colon + 1);
  if (userId === '') throw new OptionsError(`${where} must be ID:KEY; the user id before the colon is empty`);
  checkKey(userId, encryptionKey, where);
  return { userId, encryptionKey };
}

function parseRestClient(spec: unknown, where: Where): RestClientConfig {
  const s = text(spec);
  const colon = s?.indexOf(':') ?? -1;
  if (s === undefined || colon <= 0 || colon === s.length - 1) {
    throw new OptionsError(`${where} must be ID:SECRET (client id, a colon, then the client secret); got ${got(spec)}`);
  }
  return { clientId: s.slice(0, colon).trim(), clientSecret: s.slice(colon + 1) };
}

/** REST clients: flags, else the env variable (comma-separated), else the config file's `restClients` ("ID:SECRET" strings). */
function resolveRestClients(
  flags: readonly string[],
  env: string | undefined,
  file: Record<string, unknown>,
  configFile: string | undefined,
): RestClientConfig[] {
  let list: RestClientConfig[] = [];
  if (flags.length > 0) list = flags.map((f) => parseRestClient(f, '--rest-client'));
  else if (env !== undefined)
    list = env
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => parseRestClient(s, envName('rest-client')));
  else if (file.restClients !== undefined && file.restClients !== null) {
    const v = Array.isArray(file.restClients) ? file.restClients : [file.restClients];
    list = v.map((s, i) => parseRestClient(s, `"restClients[${i}]" in ${configFile}`));
  }
  const seen = new Set<string>();
  for (const c of list) {
    if (seen.has(c.clientId)) throw new OptionsError(`REST client ${c.clientId} is configured twice`);
    seen.add(c.clientId);
  }
  return list;
}

function checkKey(userId: string, key: string, where: Where): void {
  if (key.length < MIN_KEY_LENGTH) {
    throw new OptionsError(
      `${where}: the encryption key of user ${userId} must be at least ${MIN_KEY_LENGTH} characters (Marketo requires ≥ ${MIN_KEY_LENGTH}); got ${key.length}`,
    );
  }
}

function fileUser(value: unknown, path: string, file: string): UserConfig {
  const at = (k = '') => `"${path}${k}" in ${file}`;
  if (typeof value === 'string') return parseUser(value, at());
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new OptionsError(
      `${at()} must be an object { "userId", "encryptionKey", ... } or an "ID:KEY" string; got ${got(value)}`,
    );
  }
  const o = value as Record<string, unknown>;
  const allowed = ['userId', 'encryptionKey', 'blocked', 'quotaPerDay', 'ratePerWindow', 'concurrency'];
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      const near = closest(k, allowed);
      throw new OptionsError(`${at()} has an unknown key "${k}"${near ? `; did you mean "${near}"?` : ''}`);
    }
  }
  if (typeof o.userId !== 'string' || o.userId.trim() === '') {
    throw new OptionsError(`${at('.userId')} must be a non-empty string; got ${got(o.userId)}`);
  }
  const userId = o.userId.trim();
  if (typeof o.encryptionKey !== 'string') throw new OptionsError(`${at('.encryptionKey')} must be a string`);
  checkKey(userId, o.encryptionKey, at());
  const user: UserConfig = { userId, encryptionKey: o.encryptionKey };
  if (o.blocked !== undefined) {
    if (typeof o.blocked !== 'boolean')
      throw new OptionsError(`${at('.blocked')} must be true or false; got ${got(o.blocked)}`);
    user.blocked = o.blocked;
  }
  for (const k of ['quotaPerDay', 'ratePerWindow'] as const) {
    if (o[k] !== undefined) user[k] = nonNegative(o[k], at(`.${k}`));
  }
  if (o.concurrency !== undefined) user.concurrency = positive(o.concurrency, at('.concurrency'));
  return user;
}

function noDuplicates(users: UserConfig[], where: Where): UserConfig[] {
  const seen = new Set<string>();
  for (const u of users) {
    if (seen.has(u.userId)) throw new OptionsError(`${where} names user ${u.userId} twice`);
    seen.add(u.userId);
  }
  return users;
}

interface ParsedArgs {
  /** The last value of each non-repeatable flag. */
  values: Map<string, string>;
  users: string[];
  restClients: string[];
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const values = new Map<string, string>();
  const users: string[] = [];
  const restClients: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      if (i + 1 < argv.length) throw new OptionsError(`unexpected argument ${JSON.stringify(argv[i + 1])}`);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') throw new OptionsError(`unexpected argument ${JSON.stringify(arg)}`);
    if (!arg.startsWith('--')) throw unknownOption(arg);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (!BY_NAME.has(name)) throw unknownOption(arg);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new OptionsError(`--${name} needs a value (--${name} ${BY_NAME.get(name)!.arg})`);
      }
      value = next;
      i++;
    }
    if (name === 'user') users.push(value);
    else if (name === 'rest-client') restClients.push(value);
    else values.set(name, value);
  }
  return { values, users, restClients };
}

function readConfigFile(path: string, where: Where, readFile: ReadFile): Record<string, unknown> {
  let content: string;
  try {
    content = readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : (err.code ?? err.message);
    throw new OptionsError(`${where}: cannot read config file ${path}: ${why}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch (e) {
    throw new OptionsError(`${where}: config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new OptionsError(`${where}: config file ${path} must hold a JSON object; got ${got(doc)}`);
  }
  const obj = doc as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!FILE_KEYS.has(k)) {
      const near = closest(k, FILE_KEYS.keys());
      throw new OptionsError(`config file ${path}: unknown key "${k}"${near ? `; did you mean "${near}"?` : ''}`);
    }
  }
  if ('quotaTimezone' in obj && 'quotaTimeZone' in obj) {
    throw new OptionsError(`config file ${path}: give "quotaTimezone" or "quotaTimeZone", not both`);
  }
  return obj;
}

/** Where the configured users came from, for the banner: `--user`, `MKTOWS_USER` or the config file path. */
export type UsersSource = 'default' | '--user' | 'MKTOWS_USER' | string;

export interface ResolvedServe {
  config: ServerConfig;
  /** `default` when no user was configured (the server then serves the demo user). */
  usersFrom: UsersSource;
  /** The config file read, if any. */
  configFile?: string;
}

const defaultReadFile: ReadFile = (path) => readFileSync(path, 'utf8');

/** Like resolveServeOptions, and also tells where the users came from. */
export function resolveServe(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  readFile: ReadFile = defaultReadFile,
): ResolvedServe {
  const args = parseArgs(argv);
  const envValue = (name: string): string | undefined => {
    const v = env[envName(name)];
    return v === undefined || v === '' ? undefined : v;
  };

  let file: Record<string, unknown> = {};
  let configFile: string | undefined;
  const flagConfig = args.values.get('config');
  const envConfig = envValue('config');
  if (flagConfig !== undefined || envConfig !== undefined) {
    const where = flagConfig !== undefined ? '--config' : envName('config');
    configFile = (flagConfig ?? envConfig)!;
    if (configFile.trim() === '') throw new OptionsError(`${where} must be the path of a JSON file; got ""`);
    file = readConfigFile(configFile, where, readFile);
  }
  const fileWhere = (key: string) => `"${key}" in ${configFile}`;

  const config: ServerConfig = { ...DEFAULT_CONFIG, users: [] };
  for (const spec of SPECS) {
    if (!spec.apply) continue;
    const flag = args.values.get(spec.name);
    if (flag !== undefined) {
      spec.apply(flag, `--${spec.name}`, config);
      continue;
    }
    const fromEnv = envValue(spec.name);
    if (fromEnv !== undefined) {
      spec.apply(fromEnv, envName(spec.name), config);
      continue;
    }
    const keys = spec.name === 'quota-timezone' ? ['quotaTimezone', 'quotaTimeZone'] : [configKey(spec.name)];
    for (const key of keys) {
      if (key in file && file[key] !== null) spec.apply(file[key], fileWhere(key), config);
    }
  }

  let usersFrom: UsersSource = 'default';
  if (args.users.length > 0) {
    config.users = noDuplicates(
      args.users.map((u) => parseUser(u, '--user')),
      '--user',
    );
    usersFrom = '--user';
  } else if (envValue('user') !== undefined) {
    const where = envName('user');
    const parts = envValue('user')!
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    config.users = noDuplicates(
      parts.map((u) => parseUser(u, where)),
      where,
    );
    usersFrom = where;
  } else if (file.user !== undefined || file.users !== undefined) {
    const users: UserConfig[] = [];
    for (const key of ['user', 'users']) {
      const v = file[key];
      if (v === undefined || v === null) continue;
      const list = Array.isArray(v) ? v : [v];
      list.forEach((u, i) => {
        users.push(fileUser(u, Array.isArray(v) ? `${key}[${i}]` : key, configFile!));
      });
    }
    config.users = noDuplicates(users, `config file ${configFile}`);
    usersFrom = configFile!;
  }
  config.restClients = resolveRestClients(args.restClients, envValue('rest-client'), file, configFile);
  return { config, usersFrom, ...(configFile !== undefined ? { configFile } : {}) };
}

/**
 * The server's settings from `mktows serve` arguments (without the `serve`), the environment and the
 * optional config file: flag > env > file > DEFAULT_CONFIG. Throws OptionsError on bad input.
 */
export function resolveServeOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  readFile?: ReadFile,
): ServerConfig {
  return resolveServe(argv, env, readFile).config;
}

/** `mktows serve --help`: every flag with its default and environment variable. */
export function serveHelp(): string {
  const rows = SPECS.map((s) => [`--${s.name} ${s.arg}`, s.def, envName(s.name), s.help]);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max('default'.length, ...rows.map((r) => r[1].length));
  const w2 = Math.max(...rows.map((r) => r[2].length));
  const line = (r: string[]) => `  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2].padEnd(w2)}  ${r[3]}`.trimEnd();
  return [
    'Usage: mktows serve [options]',
    '',
    'Starts the Marketo SOAP and REST API server. Every flag is also an environment variable and a key of the',
    '--config JSON file (camelCase of the flag name; users as "users": [{ "userId", "encryptionKey" }],',
    'REST clients as "restClients": ["ID:SECRET"]).',
    'Precedence: flag > environment > config file > default. Both --port 9000 and --port=9000 work.',
    '',
    line(['flag', 'default', 'environment', 'meaning']),
    ...rows.map(line),
    `  ${'--help'.padEnd(w0)}  ${''.padEnd(w1)}  ${''.padEnd(w2)}  this text`,
    '',
  ].join('\n');
}
