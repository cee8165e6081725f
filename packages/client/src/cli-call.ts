/**
 * `mktows call <operation>`: one call (or, with --all, a whole stream) through MktowsClient, so the
 * command line gets the same signing, limits and retries as code. The server package's CLI wires
 * it in: `case 'call': return runCall(rest, cli.env, cli)`.
 */
import {
  type ComplexTypeDef,
  complexType,
  enumTypeDef,
  type FieldDef,
  faultDef,
  getType,
  isFaultCode,
  OPERATION_BY_NAME,
  OPERATIONS,
} from '@mktows/protocol';
import { MktowsClient } from './client.js';
import { MktowsClientError, MktowsError } from './errors.js';
import { isStreamOperation } from './stream.js';
import type { Logger, OperationName } from './types.js';

export interface CallIo {
  out(text: string): void;
  err(text: string): void;
}

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/** The demo server's endpoint and credentials (`mktows serve` prints them; they are public). */
const DEMO = {
  endpoint: 'http://127.0.0.1:8080/soap/mktows/3_1',
  userId: 'mktows_demo_user',
  encryptionKey: 'mktows-demo-encryption-key',
};

class UsageError extends Error {}

/** Flags of the command itself; every other `--name` is a param. */
const OWN_FLAGS = new Set([
  'params',
  'table',
  'json',
  'all',
  'endpoint',
  'user-id',
  'encryption-key',
  'timeout',
  'verbose',
  'help',
]);
const BOOLEAN_FLAGS = new Set(['table', 'json', 'all', 'verbose', 'help']);
/** Shortcuts for operations that take one leadKey. */
const LEAD_KEY_SHORTCUTS: Record<string, string> = { email: 'EMAIL', id: 'IDNUM', cookie: 'COOKIE' };
const LEAD_KEY_OPERATIONS = new Set(['getLead', 'getLeadActivity']);

export function callHelp(): string {
  return [
    'Usage: mktows call <operation> [--params JSON] [--<field> VALUE ...] [--table] [--all]',
    '',
    'Calls one operation of the SOAP API with a signed request and prints the result as JSON.',
    '',
    'Params:',
    "  --params JSON           the operation's params as JSON, field names as in the WSDL",
    '                          (dateTimes as ISO strings, a selector names its type in "xsiType")',
    '  --<field> VALUE         one param field; dotted for nested ones, repeated for lists:',
    '                          --leadSelector.xsiType LeadKeySelector --leadSelector.keyType EMAIL',
    '                          --leadSelector.keyValues.stringItem a@x.example --leadSelector.keyValues.stringItem b@x.example',
    '  --email E, --id N, --cookie C, --key TYPE=VALUE',
    '                          the leadKey of getLead and getLeadActivity',
    '',
    'Output:',
    '  --table                 the records as a table (lead attributes as columns)',
    '  --all                   page through a stream (getMultipleLeads, getLeadActivity, getLeadChanges,',
    '                          getMObjects, getCustomObjects) and print every record',
    '',
    'Connection (flag, else environment; with none at all, the local demo server):',
    `  --endpoint URL          MKTOWS_ENDPOINT         e.g. ${DEMO.endpoint}`,
    '  --user-id ID            MKTOWS_USER_ID',
    '  --encryption-key KEY    MKTOWS_ENCRYPTION_KEY',
    '  --timeout MS            per attempt (default 90000)',
    '  --verbose               log retries and unexpected failures to stderr',
    '',
    `Operations: ${OPERATIONS.map((o) => o.name).join(', ')}`,
    'Exit status: 0 success, 1 the call failed, 2 usage error.',
    '',
  ].join('\n');
}

function typeLabel(f: FieldDef): string {
  const t = getType(f.type);
  let label = f.type;
  if (t?.kind === 'enum') label = t.values.map((v) => v.value).join('|');
  return `${label}${f.many ? '[]' : ''}${f.optional ? ' (optional)' : ''}`;
}

function operationHelp(name: string): string {
  const op = OPERATION_BY_NAME.get(name);
  if (!op) return callHelp();
  const t = complexType(op.paramsType);
  const lines = [`Usage: mktows call ${name} [--params JSON] [--<field> VALUE ...]`, '', op.doc, '', 'Params:'];
  if (t.fields.length === 0) lines.push('  (none)');
  for (const f of t.fields) lines.push(`  --${f.name.padEnd(22)} ${typeLabel(f)}`);
  if (LEAD_KEY_OPERATIONS.has(name))
    lines.push('  --email E | --id N | --cookie C | --key TYPE=VALUE   shortcuts for leadKey');
  lines.push('');
  return lines.join('\n');
}

interface Parsed {
  operation: string | undefined;
  own: Map<string, string | true>;
  fields: [string, string][];
}

function parseArgs(argv: string[]): Parsed {
  const own = new Map<string, string | true>();
  const fields: [string, string][] = [];
  let operation: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h') {
      own.set('help', true);
      continue;
    }
    if (!a.startsWith('--')) {
      if (operation !== undefined) throw new UsageError(`unexpected argument "${a}"`);
      operation = a;
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (!name) throw new UsageError(`bad flag "${a}"`);
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq > 0) throw new UsageError(`--${name} takes no value`);
      own.set(name, true);
      continue;
    }
    let value: string;
    if (eq > 0) value = a.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (OWN_FLAGS.has(name)) own.set(name, value);
    else fields.push([name, value]);
  }
  return { operation, own, fields };
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function coerce(f: FieldDef, raw: string, path: string): unknown {
  switch (f.type) {
    case 'int':
    case 'long':
    case 'integer': {
      if (!/^[+-]?\d+$/.test(raw.trim())) throw new UsageError(`--${path} must be an integer, got "${raw}"`);
      return Number(raw.trim());
    }
    case 'boolean': {
      const b = raw.trim().toLowerCase();
      if (b !== 'true' && b !== 'false') throw new UsageError(`--${path} must be true or false, got "${raw}"`);
      return b === 'true';
    }
    default: {
      const e = enumTypeDef(f.type);
      if (e && !e.values.some((v) => v.value === raw)) {
        throw new UsageError(`--${path} must be one of ${e.values.map((v) => v.value).join(', ')}; got "${raw}"`);
      }
      return raw; // strings, enum tokens and dateTimes (sent as given)
    }
  }
}

/** Sets `--a.b.c VALUE` into params, typed by the schema. */
function setField(params: Record<string, unknown>, paramsType: string, flag: string, raw: string): void {
  const segments = flag.split('.').map(camel);
  let obj = params;
  let t: ComplexTypeDef = complexType(paramsType);
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    const path = segments.slice(0, i + 1).join('.');
    if (seg === 'xsiType' && last) {
      obj.xsiType = raw;
      return;
    }
    if (t.abstract) {
      const sub = typeof obj.xsiType === 'string' ? getType(obj.xsiType) : undefined;
      if (sub?.kind !== 'complex' || sub.base !== t.name) {
        throw new UsageError(`set --${segments.slice(0, i).join('.')}.xsiType first (a ${t.name} subtype)`);
      }
      t = sub;
    }
    const f = t.fields.find((x) => x.name === seg);
    if (!f) {
      const known = t.fields.map((x) => x.name).join(', ') || '(none)';
      throw new UsageError(`--${path}: ${t.name} has no field "${seg}"; fields: ${known}`);
    }
    const ft = getType(f.type);
    if (last) {
      if (ft?.kind === 'complex') throw new UsageError(`--${path} is a ${f.type}: set its fields, or use --params`);
      const v = coerce(f, raw, path);
      if (f.many) {
        obj[seg] ??= [];
        (obj[seg] as unknown[]).push(v);
      } else obj[seg] = v;
      return;
    }
    if (ft?.kind !== 'complex') throw new UsageError(`--${path} is a ${f.type}, it has no fields`);
    if (f.many) {
      obj[seg] ??= [];
      const list = obj[seg] as Record<string, unknown>[];
      if (list.length === 0) list.push({});
      obj = list[list.length - 1];
    } else {
      obj[seg] ??= {};
      obj = obj[seg] as Record<string, unknown>;
    }
    t = ft;
  }
}

function buildParams(operation: string, p: Parsed): Record<string, unknown> {
  const op = OPERATION_BY_NAME.get(operation);
  if (!op) throw new UsageError(`unknown operation "${operation}"`);
  let params: Record<string, unknown> = {};
  const json = p.own.get('params');
  if (typeof json === 'string') {
    try {
      params = JSON.parse(json);
    } catch (e) {
      throw new UsageError(`--params is not valid JSON: ${(e as Error).message}`);
    }
    if (!params || typeof params !== 'object' || Array.isArray(params))
      throw new UsageError('--params must be a JSON object');
  }
  for (const [name, value] of p.fields) {
    if (LEAD_KEY_OPERATIONS.has(operation) && (name in LEAD_KEY_SHORTCUTS || name === 'key')) {
      let keyType = LEAD_KEY_SHORTCUTS[name];
      let keyValue = value;
      if (name === 'key') {
        const eq = value.indexOf('=');
        if (eq <= 0) throw new UsageError('--key takes TYPE=VALUE, e.g. --key SFDCLEADID=00Q000000000001');
        keyType = value.slice(0, eq).toUpperCase();
        keyValue = value.slice(eq + 1);
      }
      params.leadKey = { keyType, keyValue };
      continue;
    }
    setField(params, op.paramsType, name, value);
  }
  return params;
}

function credentials(own: Parsed['own'], env: Record<string, string | undefined>, io: CallIo) {
  const get = (flag: string, name: string) => {
    const v = own.get(flag);
    return typeof v === 'string' ? v : env[name] || undefined;
  };
  const endpoint = get('endpoint', 'MKTOWS_ENDPOINT');
  const userId = get('user-id', 'MKTOWS_USER_ID');
  const encryptionKey = get('encryption-key', 'MKTOWS_ENCRYPTION_KEY');
  if (endpoint === undefined && userId === undefined && encryptionKey === undefined) {
    io.err(`note: no endpoint or credentials given; calling the local demo server (${DEMO.endpoint})\n`);
    return DEMO;
  }
  const missing = [
    endpoint === undefined ? '--endpoint (MKTOWS_ENDPOINT)' : '',
    userId === undefined ? '--user-id (MKTOWS_USER_ID)' : '',
    encryptionKey === undefined ? '--encryption-key (MKTOWS_ENCRYPTION_KEY)' : '',
  ].filter(Boolean);
  if (missing.length) throw new UsageError(`missing ${missing.join(', ')}`);
  return { endpoint: endpoint as string, userId: userId as string, encryptionKey: encryptionKey as string };
}

function stderrLogger(io: CallIo): Logger {
  const line = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    const { request: _req, response: _res, ...rest } = obj;
    io.err(`${level}: ${msg ?? ''} ${JSON.stringify(rest)}\n`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** Runs `mktows call …` (argv: what follows `call`). Returns the exit status. */
export async function runCall(argv: string[], env: Record<string, string | undefined>, io: CallIo): Promise<number> {
  let parsed: Parsed;
  let params: Record<string, unknown>;
  let client: MktowsClient;
  try {
    parsed = parseArgs(argv);
    if (parsed.own.has('help') || parsed.operation === undefined) {
      const text = parsed.operation ? operationHelp(parsed.operation) : callHelp();
      if (parsed.own.has('help')) io.out(text);
      else io.err(text);
      return parsed.own.has('help') ? EXIT_OK : EXIT_USAGE;
    }
    params = buildParams(parsed.operation, parsed);
    if (parsed.own.has('all') && !isStreamOperation(parsed.operation)) {
      throw new UsageError(`--all pages through stream operations only; ${parsed.operation} is not one`);
    }
    const timeout = parsed.own.get('timeout');
    const timeoutMs = typeof timeout === 'string' ? Number(timeout) : undefined;
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
      throw new UsageError('--timeout must be a positive number of milliseconds');
    }
    client = new MktowsClient({
      ...credentials(parsed.own, env, io),
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(parsed.own.has('verbose') ? { logger: stderrLogger(io) } : {}),
    });
  } catch (e) {
    if (e instanceof UsageError || e instanceof TypeError || e instanceof RangeError) {
      io.err(`mktows call: ${e.message}\nRun \`mktows call --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  const operation = parsed.operation as OperationName;
  try {
    let output: unknown;
    if (parsed.own.has('all') && isStreamOperation(operation)) {
      const records: unknown[] = [];
      for await (const r of client.iterate(operation, params as never)) records.push(r);
      output = records;
    } else {
      output = await client.call(operation, params as never);
    }
    io.out(parsed.own.has('table') ? renderTable(output) : `${JSON.stringify(output, jsonReplacer, 2)}\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof TypeError) {
      io.err(`mktows call: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (!(e instanceof MktowsClientError)) throw e;
    io.err(`error: ${e.message}\n`);
    if (e instanceof MktowsError && isFaultCode(e.code)) io.err(`advice: ${faultDef(e.code).advice}\n`);
    if (e.attempts > 1) io.err(`attempts: ${e.attempts}\n`);
    return EXIT_FAILURE;
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer') {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}

// --- table output ---

/** The first array found in the value, depth first: the records of a result. */
function findRecords(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    for (const x of Object.values(v)) {
      const found = findRecords(x);
      if (found) return found;
    }
  }
  return undefined;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v, jsonReplacer);
  return String(v);
}

/** Flattens a record: nested objects as dotted columns, attribute lists (attrName/attrValue, name/value) as columns. */
function flatten(v: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (v === null || v === undefined || typeof v !== 'object' || v instanceof Date) {
    out[prefix || 'value'] = cell(v);
    return out;
  }
  if (Array.isArray(v)) {
    const pairs = v.every(
      (x) => x && typeof x === 'object' && (('attrName' in x && 'attrValue' in x) || ('name' in x && 'value' in x)),
    );
    if (pairs && v.length > 0) {
      for (const x of v as Record<string, unknown>[]) out[cell(x.attrName ?? x.name)] = cell(x.attrValue ?? x.value);
    } else out[prefix || 'value'] = v.map(cell).join(', ');
    return out;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  // A wrapper with one list (ArrayOfX) flattens to its items.
  if (entries.length === 1 && Array.isArray(entries[0][1])) return flatten(entries[0][1], prefix, out);
  for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

export function renderTable(output: unknown): string {
  const records = findRecords(output);
  let rows: Record<string, string>[];
  if (records?.every((r) => r && typeof r === 'object')) {
    rows = records.map((r) => flatten(r));
  } else {
    const flat = flatten(output);
    rows = Object.entries(flat).map(([field, value]) => ({ field, value }));
  }
  if (rows.length === 0) return '(no records)\n';
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => clip(r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => clip(r[c] ?? ''))))].join('\n')}\n`;
}
