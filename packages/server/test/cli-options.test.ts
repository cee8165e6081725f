import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  OptionsError,
  parseSize,
  type ReadFile,
  resolveServe,
  resolveServeOptions,
  SERVE_FLAGS,
  serveHelp,
} from '../src/cli/options.js';
import { DEFAULT_CONFIG } from '../src/config.js';

const KEY = 'a-long-enough-key';

/** A readFile that serves one JSON document at `cfg.json`. */
function files(docs: Record<string, unknown>): ReadFile {
  return (path) => {
    if (!(path in docs)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    const d = docs[path];
    return typeof d === 'string' ? d : JSON.stringify(d);
  };
}

const noFile: ReadFile = files({});

function resolve(argv: string[], env: NodeJS.ProcessEnv = {}, readFile: ReadFile = noFile) {
  return resolveServeOptions(argv, env, readFile);
}

function refused(argv: string[], message: string, env: NodeJS.ProcessEnv = {}, readFile: ReadFile = noFile): void {
  assert.throws(
    () => resolve(argv, env, readFile),
    (e: unknown) => {
      assert.ok(e instanceof OptionsError, `expected OptionsError, got ${String(e)}`);
      assert.equal(e.message, message);
      return true;
    },
  );
}

describe('defaults', () => {
  test('no flags, no env, no file gives DEFAULT_CONFIG with no users (the server adds the demo user)', () => {
    assert.deepEqual(resolve([]), { ...DEFAULT_CONFIG, users: [] });
  });

  test('DEFAULT_CONFIG matches the contract', () => {
    const c = resolve([]);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 8080);
    assert.equal(c.store, 'sqlite:./mktows.db');
    assert.equal(c.limits, 'memory');
    assert.equal(c.seed, 'demo');
    assert.equal(c.quotaPerDay, 10_000);
    assert.equal(c.quotaTimeZone, 'America/Chicago');
    assert.equal(c.ratePerWindow, 100);
    assert.equal(c.windowMs, 20_000);
    assert.equal(c.concurrency, 10);
    assert.equal(c.signatureWindowMs, 15 * 60_000);
    assert.equal(c.maxBodyBytes, 10 * 1024 * 1024);
    assert.equal(c.adminToken, undefined);
    assert.equal(c.journalSize, 1000);
    assert.equal(c.journalBytes, 64 * 1024 * 1024);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.publicUrl, undefined);
    assert.equal(c.seedDir, undefined);
    assert.equal(c.shutdownGraceMs, 10_000);
  });
});

describe('--public-url and --shutdown-grace', () => {
  test('--public-url keeps a path prefix, drops the trailing slash, and comes from env and file too', () => {
    assert.equal(resolve(['--public-url', 'https://mkto.example.com/api/']).publicUrl, 'https://mkto.example.com/api');
    assert.equal(resolve(['--public-url', 'http://proxy:8443/']).publicUrl, 'http://proxy:8443');
    assert.equal(resolve(['--public-url', 'HTTPS://Mkto.Example.com']).publicUrl, 'https://mkto.example.com');
    assert.equal(resolve([], { MKTOWS_PUBLIC_URL: 'https://e.example/x' }).publicUrl, 'https://e.example/x');
    const file = files({ 'c.json': { publicUrl: 'https://f.example', shutdownGrace: '3s', seedDir: 'seeds' } });
    const c = resolve(['--config', 'c.json'], {}, file);
    assert.equal(c.publicUrl, 'https://f.example');
    assert.equal(c.shutdownGraceMs, 3000);
    assert.equal(c.seedDir, 'seeds');
  });

  test('--public-url must be an absolute http(s) URL without query, fragment or credentials', () => {
    refused(
      ['--public-url', 'mkto.example.com'],
      '--public-url must be an absolute http:// or https:// URL; got "mkto.example.com"',
    );
    refused(
      ['--public-url', 'ftp://mkto.example.com'],
      '--public-url must be an http:// or https:// URL; got "ftp://mkto.example.com"',
    );
    refused(
      ['--public-url', 'https://m.example/?a=1'],
      '--public-url must be a URL without a query; got "https://m.example/?a=1"',
    );
    refused(
      ['--public-url', 'https://m.example/#x'],
      '--public-url must be a URL without a fragment; got "https://m.example/#x"',
    );
    refused(
      ['--public-url', 'https://u:p@m.example'],
      '--public-url must be a URL without user name or password; got "https://u:p@m.example"',
    );
  });

  test('--shutdown-grace is a duration; 0 cuts connections at once', () => {
    assert.equal(resolve(['--shutdown-grace', '0']).shutdownGraceMs, 0);
    assert.equal(resolve(['--shutdown-grace', '30']).shutdownGraceMs, 30_000);
    assert.equal(resolve([], { MKTOWS_SHUTDOWN_GRACE: '1m' }).shutdownGraceMs, 60_000);
    refused(
      ['--shutdown-grace', 'soon'],
      '--shutdown-grace must be a duration with a unit ms, s, m or h (a bare number means seconds), e.g. 15m, 900s or 500ms; got "soon"',
    );
  });
});

describe('every flag', () => {
  test('each flag sets its setting, in both --flag value and --flag=value forms', () => {
    const args: [string, string][] = [
      ['host', '0.0.0.0'],
      ['port', '9000'],
      ['store', 'sqlite::memory:'],
      ['limits', 'redis://cache:6379'],
      ['user', `alice:${KEY}`],
      ['seed', 'none'],
      ['quota-per-day', '50'],
      ['quota-timezone', 'Europe/Berlin'],
      ['rate-limit', '5/1500ms'],
      ['concurrency', '3'],
      ['signature-window', '90s'],
      ['max-body', '512kb'],
      ['admin-token', 's3cret'],
      ['journal-size', '7'],
      ['journal-bytes', '2mb'],
      ['log-level', 'warn'],
      ['public-url', 'https://mkto.example.com/api/'],
      ['seed-dir', '/srv/seeds'],
      ['shutdown-grace', '2500ms'],
    ];
    const expected = {
      ...DEFAULT_CONFIG,
      host: '0.0.0.0',
      port: 9000,
      store: 'sqlite::memory:',
      limits: 'redis://cache:6379',
      users: [{ userId: 'alice', encryptionKey: KEY }],
      seed: 'none',
      quotaPerDay: 50,
      quotaTimeZone: 'Europe/Berlin',
      ratePerWindow: 5,
      windowMs: 1500,
      concurrency: 3,
      signatureWindowMs: 90_000,
      maxBodyBytes: 512 * 1024,
      adminToken: 's3cret',
      journalSize: 7,
      journalBytes: 2 * 1024 * 1024,
      logLevel: 'warn',
      publicUrl: 'https://mkto.example.com/api',
      seedDir: '/srv/seeds',
      shutdownGraceMs: 2500,
    };
    assert.deepEqual(resolve(args.flatMap(([k, v]) => [`--${k}`, v])), expected);
    assert.deepEqual(resolve(args.map(([k, v]) => `--${k}=${v}`)), expected);
  });

  test('every flag of the contract is known', () => {
    for (const f of [
      '--host',
      '--port',
      '--store',
      '--limits',
      '--user',
      '--seed',
      '--quota-per-day',
      '--quota-timezone',
      '--rate-limit',
      '--concurrency',
      '--signature-window',
      '--max-body',
      '--admin-token',
      '--journal-size',
      '--config',
      '--log-level',
      '--public-url',
      '--shutdown-grace',
      '--seed-dir',
    ]) {
      assert.ok(SERVE_FLAGS.includes(f), f);
    }
  });

  test('--help lists every flag with its default and environment variable', () => {
    const help = serveHelp();
    for (const [flag, def, env] of [
      ['--host', '127.0.0.1', 'MKTOWS_HOST'],
      ['--port', '8080', 'MKTOWS_PORT'],
      ['--store', 'sqlite:./mktows.db', 'MKTOWS_STORE'],
      ['--limits', 'memory', 'MKTOWS_LIMITS'],
      ['--user', 'demo user', 'MKTOWS_USER'],
      ['--seed', 'demo', 'MKTOWS_SEED'],
      ['--quota-per-day', '10000', 'MKTOWS_QUOTA_PER_DAY'],
      ['--quota-timezone', 'America/Chicago', 'MKTOWS_QUOTA_TIMEZONE'],
      ['--rate-limit', '100/20s', 'MKTOWS_RATE_LIMIT'],
      ['--concurrency', '10', 'MKTOWS_CONCURRENCY'],
      ['--signature-window', '15m', 'MKTOWS_SIGNATURE_WINDOW'],
      ['--max-body', '10mb', 'MKTOWS_MAX_BODY'],
      ['--admin-token', 'none', 'MKTOWS_ADMIN_TOKEN'],
      ['--journal-size', '1000', 'MKTOWS_JOURNAL_SIZE'],
      ['--journal-bytes', '64mb', 'MKTOWS_JOURNAL_BYTES'],
      ['--config', 'none', 'MKTOWS_CONFIG'],
      ['--log-level', 'info', 'MKTOWS_LOG_LEVEL'],
    ]) {
      const line = help.split('\n').find((l) => l.startsWith(`  ${flag} `));
      assert.ok(line, `help has no line for ${flag}`);
      assert.match(line, new RegExp(`\\s${def.replace(/[/.]/g, '\\$&')}\\s`), `${flag} default`);
      assert.ok(line.includes(env), `${flag} env ${env}`);
    }
  });

  test('sizes', () => {
    assert.equal(parseSize('10mb'), 10 * 1024 * 1024);
    assert.equal(parseSize('10MB'), 10 * 1024 * 1024);
    assert.equal(parseSize('512kb'), 512 * 1024);
    assert.equal(parseSize('1gb'), 1024 ** 3);
    assert.equal(parseSize('1.5mb'), 1.5 * 1024 * 1024);
    assert.equal(parseSize('2048'), 2048);
    assert.equal(parseSize('7b'), 7);
    assert.equal(parseSize('1.5'), undefined);
    assert.equal(parseSize('ten'), undefined);
    assert.equal(parseSize('10tb'), undefined);
  });

  test('--user is repeatable; a key may contain colons', () => {
    const c = resolve(['--user', `a:${KEY}`, '--user=b:key:with:colons']);
    assert.deepEqual(c.users, [
      { userId: 'a', encryptionKey: KEY },
      { userId: 'b', encryptionKey: 'key:with:colons' },
    ]);
  });

  test('MKTOWS_USER is a comma-separated list', () => {
    const r = resolveServe([], { MKTOWS_USER: `a:${KEY}, b:${KEY}2` }, noFile);
    assert.deepEqual(r.config.users, [
      { userId: 'a', encryptionKey: KEY },
      { userId: 'b', encryptionKey: `${KEY}2` },
    ]);
    assert.equal(r.usersFrom, 'MKTOWS_USER');
  });

  test('the last of a repeated single-valued flag wins', () => {
    assert.equal(resolve(['--port', '1', '--port', '2']).port, 2);
  });
});

describe('precedence: flag > env > file > default', () => {
  const file = files({
    'cfg.json': {
      port: 9001,
      quotaPerDay: 50,
      rateLimit: '7/7s',
      concurrency: 4,
      quotaTimezone: 'Asia/Tokyo',
      users: [{ userId: 'fileuser', encryptionKey: KEY, blocked: true, quotaPerDay: 3 }],
      maxBody: '1mb',
      adminToken: 'from-file',
    },
  });
  const env = {
    MKTOWS_CONFIG: 'cfg.json',
    MKTOWS_PORT: '9002',
    MKTOWS_QUOTA_PER_DAY: '60',
    MKTOWS_RATE_LIMIT: '8/8s',
    MKTOWS_USER: `envuser:${KEY}`,
  };

  test('file beats default', () => {
    const r = resolveServe(['--config', 'cfg.json'], {}, file);
    const c = r.config;
    assert.equal(c.port, 9001);
    assert.equal(c.quotaPerDay, 50);
    assert.equal(c.ratePerWindow, 7);
    assert.equal(c.windowMs, 7000);
    assert.equal(c.concurrency, 4);
    assert.equal(c.quotaTimeZone, 'Asia/Tokyo');
    assert.equal(c.maxBodyBytes, 1024 * 1024);
    assert.equal(c.adminToken, 'from-file');
    assert.equal(c.journalSize, DEFAULT_CONFIG.journalSize);
    assert.deepEqual(c.users, [{ userId: 'fileuser', encryptionKey: KEY, blocked: true, quotaPerDay: 3 }]);
    assert.equal(r.usersFrom, 'cfg.json');
    assert.equal(r.configFile, 'cfg.json');
  });

  test('env beats file (and MKTOWS_CONFIG names the file)', () => {
    const r = resolveServe([], env, file);
    assert.equal(r.config.port, 9002);
    assert.equal(r.config.quotaPerDay, 60);
    assert.equal(r.config.ratePerWindow, 8);
    assert.equal(r.config.concurrency, 4, 'no env: the file value stays');
    assert.deepEqual(r.config.users, [{ userId: 'envuser', encryptionKey: KEY }]);
    assert.equal(r.usersFrom, 'MKTOWS_USER');
  });

  test('flag beats env and file', () => {
    const r = resolveServe(
      ['--port=9003', '--quota-per-day', '70', '--rate-limit', '9/9s', '--user', `flaguser:${KEY}`, '--concurrency=5'],
      env,
      file,
    );
    assert.equal(r.config.port, 9003);
    assert.equal(r.config.quotaPerDay, 70);
    assert.equal(r.config.ratePerWindow, 9);
    assert.equal(r.config.windowMs, 9000);
    assert.equal(r.config.concurrency, 5);
    assert.deepEqual(r.config.users, [{ userId: 'flaguser', encryptionKey: KEY }]);
    assert.equal(r.usersFrom, '--user');
    assert.equal(r.config.adminToken, 'from-file');
  });

  test('--config beats MKTOWS_CONFIG', () => {
    const two = files({ 'a.json': { port: 1 }, 'b.json': { port: 2 } });
    assert.equal(resolve(['--config', 'b.json'], { MKTOWS_CONFIG: 'a.json' }, two).port, 2);
  });

  test('a bad value that loses is not parsed; an empty env variable counts as unset', () => {
    assert.equal(resolve(['--port', '1'], { MKTOWS_PORT: 'abc' }).port, 1);
    assert.equal(resolve([], { MKTOWS_PORT: '' }).port, 8080);
  });

  test('the config file takes "user" strings, "quotaTimeZone" and string numbers', () => {
    const f = files({ 'c.json': { user: [`u:${KEY}`], quotaTimeZone: 'UTC', port: '81', signatureWindow: 60 } });
    const c = resolve(['--config', 'c.json'], {}, f);
    assert.deepEqual(c.users, [{ userId: 'u', encryptionKey: KEY }]);
    assert.equal(c.quotaTimeZone, 'UTC');
    assert.equal(c.port, 81);
    assert.equal(c.signatureWindowMs, 60_000);
  });
});

describe('bad input: exact messages', () => {
  const cases: [string[], string][] = [
    [['--port', 'abc'], '--port must be an integer from 0 to 65535; got "abc"'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535; got "70000"'],
    [['--port', '-1'], '--port must be an integer from 0 to 65535; got "-1"'],
    [['--port=8.5'], '--port must be an integer from 0 to 65535; got "8.5"'],
    [['--port='], '--port must be an integer from 0 to 65535; got ""'],
    [['--host', ''], '--host must be an IP address or host name; got ""'],
    [['--host', 'a b'], '--host must be an IP address or host name; got "a b"'],
    [
      ['--store', 'mysql://x'],
      '--store must be sqlite:PATH, sqlite::memory:, postgres://… or marketo+https://CLIENT_ID:CLIENT_SECRET@HOST (the bridge); got "mysql://x"',
    ],
    [
      ['--store', 'sqlite:'],
      '--store must be sqlite:PATH, sqlite::memory:, postgres://… or marketo+https://CLIENT_ID:CLIENT_SECRET@HOST (the bridge); got "sqlite:"',
    ],
    [['--limits', 'disk'], '--limits must be memory or redis://…; got "disk"'],
    [['--seed', ''], '--seed must be demo, none or the path of a seed JSON file; got ""'],
    [['--quota-per-day', 'many'], '--quota-per-day must be a whole number of at least 0; got "many"'],
    [['--quota-per-day', '-3'], '--quota-per-day must be a whole number of at least 0; got "-3"'],
    [
      ['--quota-timezone', 'Mars/Olympus'],
      '--quota-timezone must be an IANA time zone name such as America/Chicago or UTC; got "Mars/Olympus"',
    ],
    [
      ['--rate-limit', '100'],
      '--rate-limit must be <calls>/<window> with at least 1 call and a window of ms, s, m or h (a bare number means seconds), e.g. 100/20s or 5/1500ms; got "100"',
    ],
    [
      ['--rate-limit', '0/20s'],
      '--rate-limit must be <calls>/<window> with at least 1 call and a window of ms, s, m or h (a bare number means seconds), e.g. 100/20s or 5/1500ms; got "0/20s"',
    ],
    [['--concurrency', '0'], '--concurrency must be a whole number of at least 1; got "0"'],
    [
      ['--signature-window', '15 minutes'],
      '--signature-window must be a positive duration with a unit ms, s, m or h (a bare number means seconds), e.g. 15m, 900s or 500ms; got "15 minutes"',
    ],
    [
      ['--signature-window', '0'],
      '--signature-window must be a positive duration with a unit ms, s, m or h (a bare number means seconds), e.g. 15m, 900s or 500ms; got "0"',
    ],
    [
      ['--max-body', 'huge'],
      '--max-body must be a size such as 10mb, 512kb, 1gb or a number of bytes (at least 1); got "huge"',
    ],
    [
      ['--max-body', '0'],
      '--max-body must be a size such as 10mb, 512kb, 1gb or a number of bytes (at least 1); got "0"',
    ],
    [['--admin-token', ''], '--admin-token must be a non-empty token'],
    [['--journal-size', 'x'], '--journal-size must be a whole number of at least 0; got "x"'],
    [
      ['--journal-bytes', 'lots'],
      '--journal-bytes must be a size such as 64mb, 512kb or a number of bytes; got "lots"',
    ],
    [['--log-level', 'loud'], '--log-level must be one of debug, info, warn, error, silent; got "loud"'],
    [
      ['--user', 'alice'],
      '--user must be ID:KEY (user id, a colon, then the encryption key); got a value without a colon',
    ],
    [['--user', `:${KEY}`], '--user must be ID:KEY; the user id before the colon is empty'],
    [
      ['--user', 'alice:short'],
      '--user: the encryption key of user alice must be at least 10 characters (Marketo requires ≥ 10); got 5',
    ],
    [['--user', `a:${KEY}`, '--user', `a:${KEY}`], '--user names user a twice'],
    [['--port'], '--port needs a value (--port N)'],
    [['--port', '--host', 'x'], '--port needs a value (--port N)'],
    [['--foo'], 'unknown option --foo'],
    [['--foo=1'], 'unknown option --foo'],
    [['--prot', '1'], 'unknown option --prot; did you mean --port?'],
    [['--quota-time-zone', 'UTC'], 'unknown option --quota-time-zone; did you mean --quota-timezone?'],
    [['--ratelimit=1/s'], 'unknown option --ratelimit; did you mean --rate-limit?'],
    [['-p', '1'], 'unknown option -p'],
    [['9000'], 'unexpected argument "9000"'],
    [['--config', 'missing.json'], '--config: cannot read config file missing.json: no such file'],
  ];
  for (const [argv, message] of cases) {
    test(`${argv.join(' ')} → ${message}`, () => refused(argv, message));
  }

  test('an encryption key of exactly 10 characters is accepted', () => {
    assert.deepEqual(resolve(['--user', 'a:0123456789']).users, [{ userId: 'a', encryptionKey: '0123456789' }]);
  });

  test('a key is never echoed', () => {
    try {
      resolve(['--user', 'alice:tiny-key']);
      assert.fail('accepted');
    } catch (e) {
      assert.ok(!(e as Error).message.includes('tiny-key'));
    }
  });

  test('env values are named by their variable', () => {
    refused([], 'MKTOWS_PORT must be an integer from 0 to 65535; got "abc"', { MKTOWS_PORT: 'abc' });
    refused(
      [],
      'MKTOWS_RATE_LIMIT must be <calls>/<window> with at least 1 call and a window of ms, s, m or h (a bare number means seconds), e.g. 100/20s or 5/1500ms; got "fast"',
      {
        MKTOWS_RATE_LIMIT: 'fast',
      },
    );
    refused(
      [],
      'MKTOWS_USER: the encryption key of user bob must be at least 10 characters (Marketo requires ≥ 10); got 3',
      {
        MKTOWS_USER: `a:${KEY},bob:abc`,
      },
    );
    refused([], 'MKTOWS_CONFIG: cannot read config file nope.json: no such file', { MKTOWS_CONFIG: 'nope.json' });
  });

  test('file values are named by their key and file', () => {
    const f = files({
      'port.json': { port: 70000 },
      'tz.json': { quotaTimezone: 'Nowhere/Land' },
      'users.json': { users: [{ userId: 'u', encryptionKey: 'short' }] },
      'ukey.json': { users: [{ userId: 'u', encryptionKey: KEY, blockd: true }] },
      'uquota.json': { users: [{ userId: 'u', encryptionKey: KEY, quotaPerDay: -1 }] },
      'typo.json': { prot: 1 },
      'odd.json': { colour: 'red' },
      'bad.json': '{ "port": ',
      'array.json': [1],
      'both.json': { quotaTimezone: 'UTC', quotaTimeZone: 'UTC' },
    });
    const cases: [string, string][] = [
      ['port.json', '"port" in port.json must be an integer from 0 to 65535; got 70000'],
      [
        'tz.json',
        '"quotaTimezone" in tz.json must be an IANA time zone name such as America/Chicago or UTC; got "Nowhere/Land"',
      ],
      [
        'users.json',
        '"users[0]" in users.json: the encryption key of user u must be at least 10 characters (Marketo requires ≥ 10); got 5',
      ],
      ['ukey.json', '"users[0]" in ukey.json has an unknown key "blockd"; did you mean "blocked"?'],
      ['uquota.json', '"users[0].quotaPerDay" in uquota.json must be a whole number of at least 0; got -1'],
      ['typo.json', 'config file typo.json: unknown key "prot"; did you mean "port"?'],
      ['odd.json', 'config file odd.json: unknown key "colour"'],
      ['array.json', '--config: config file array.json must hold a JSON object; got [1]'],
      ['both.json', 'config file both.json: give "quotaTimezone" or "quotaTimeZone", not both'],
    ];
    for (const [name, message] of cases) refused(['--config', name], message, {}, f);
    assert.throws(
      () => resolve(['--config', 'bad.json'], {}, f),
      (e: unknown) =>
        e instanceof OptionsError && e.message.startsWith('--config: config file bad.json is not valid JSON: '),
    );
  });
});

describe('REST options', () => {
  test('defaults match the contract: 50000/day, 100/20s, 10 in flight, 3600 s tokens, no client (the server adds the demo client)', () => {
    const c = resolve([]);
    assert.equal(c.restQuotaPerDay, 50_000);
    assert.equal(c.restRatePerWindow, 100);
    assert.equal(c.restWindowMs, 20_000);
    assert.equal(c.restConcurrency, 10);
    assert.equal(c.restTokenTtlMs, 3_600_000);
    assert.deepEqual(c.restClients, []);
  });

  test('flags set them; --rest-client is repeatable and a secret may contain colons', () => {
    const c = resolve([
      '--rest-quota-per-day',
      '7',
      '--rest-rate-limit=5/2s',
      '--rest-concurrency',
      '3',
      '--rest-token-ttl',
      '90s',
      '--rest-client',
      'one:secret-1',
      '--rest-client=two:se:cret',
    ]);
    assert.equal(c.restQuotaPerDay, 7);
    assert.equal(c.restRatePerWindow, 5);
    assert.equal(c.restWindowMs, 2000);
    assert.equal(c.restConcurrency, 3);
    assert.equal(c.restTokenTtlMs, 90_000);
    assert.deepEqual(c.restClients, [
      { clientId: 'one', clientSecret: 'secret-1' },
      { clientId: 'two', clientSecret: 'se:cret' },
    ]);
    // The per-user SOAP limits are untouched.
    assert.equal(c.ratePerWindow, 100);
  });

  test('MKTOWS_REST_CLIENT is a comma-separated list; the config file takes "restClients"', () => {
    assert.deepEqual(resolve([], { MKTOWS_REST_CLIENT: 'a:s1, b:s2' }).restClients, [
      { clientId: 'a', clientSecret: 's1' },
      { clientId: 'b', clientSecret: 's2' },
    ]);
    const file = files({ 'cfg.json': { restClients: ['f:file-secret'], restQuotaPerDay: 12 } });
    const c = resolve(['--config', 'cfg.json'], {}, file);
    assert.deepEqual(c.restClients, [{ clientId: 'f', clientSecret: 'file-secret' }]);
    assert.equal(c.restQuotaPerDay, 12);
  });

  test('bad REST values are refused with their source named', () => {
    refused(
      ['--rest-client', 'nocolon'],
      '--rest-client must be ID:SECRET (client id, a colon, then the client secret); got "nocolon"',
    );
    refused(['--rest-client', 'a:x', '--rest-client', 'a:y'], 'REST client a is configured twice');
    refused(['--rest-concurrency', '0'], '--rest-concurrency must be a whole number of at least 1; got "0"');
    assert.throws(() => resolve(['--rest-rate-limit', 'fast']), /--rest-rate-limit must be <calls>\/<window>/);
  });

  test('--help lists the REST flags with defaults and environment variables', () => {
    const help = serveHelp();
    for (const [flag, def, env] of [
      ['--rest-client', 'demo client', 'MKTOWS_REST_CLIENT'],
      ['--rest-quota-per-day', '50000', 'MKTOWS_REST_QUOTA_PER_DAY'],
      ['--rest-rate-limit', '100/20s', 'MKTOWS_REST_RATE_LIMIT'],
      ['--rest-concurrency', '10', 'MKTOWS_REST_CONCURRENCY'],
      ['--rest-token-ttl', '3600s', 'MKTOWS_REST_TOKEN_TTL'],
    ]) {
      const line = help.split('\n').find((l) => l.startsWith(`  ${flag} `));
      assert.ok(line, `help has no line for ${flag}`);
      assert.ok(line.includes(` ${def} `), `${flag} default`);
      assert.ok(line.includes(env), `${flag} env`);
    }
  });
});
