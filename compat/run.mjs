#!/usr/bin/env node
// The compatibility matrix (`npm run test:compat`): builds and starts mktows, then drives it with
// twelve third-party SOAP client stacks, each building its client the way its users do (from our
// served WSDL and, where the stack can load a file, from Marketo's own 2_2 and 2_6 WSDLs with the
// endpoint overridden). Prints stack × scenario, writes compat/RESULTS.md, exits 1 if any scenario
// fails. Pending (the server answers 20019 "not implemented yet") and "cannot express" do not fail.
//
// Options: --only php,jaxws (stack ids)   --jobs N (rows run at once, default 2)   --no-build
//          --no-results (do not write RESULTS.md)
//          --url http://host:port (drive a running mktows instead; its admin API must answer us)
//          --bridge (drive a bridge, `--store marketo+http://…`, in front of an emulator's REST API;
//                    results go to compat/RESULTS-bridge.md)
// Env: MKTOWS_SHARED_DIR (default ../shared), MKTOWS_COMPAT_SERVED (served WSDL versions, default 3_1).
// The Debian packages come from compat/install-deps.sh.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const COMPAT = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(COMPAT, '..');
const BUILD = join(COMPAT, '.build');
const SHARED = process.env.MKTOWS_SHARED_DIR ?? resolve(ROOT, '..', 'shared');
const REFERENCE = join(SHARED, 'reference');

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = opt('--only')?.split(',');
const bridged = args.includes('--bridge');
const jobs = Number(opt('--jobs') ?? Math.min(2, availableParallelism()));
const RUN_TAG = Date.now().toString(36);

const SCENARIOS = [
  'getLead',
  'syncLead',
  'getMultipleLeads',
  'listOperation',
  'requestCampaign',
  'getLeadChanges',
  'fault20103',
  'fault20014',
];
/**
 * Scenarios that only some rows run: those of stacks whose driver has them, built from a WSDL of
 * version `since` or later (a client built from an older WSDL cannot express the call). Other rows
 * show "–" in their column.
 */
const EXTRA_SCENARIOS = [{ name: 'scheduleCampaignClone', stacks: ['jaxws'], since: '3_1' }];
// The operation each scenario calls (for "pending": the server answered it 20019).
const OPERATION = { fault20103: 'getLead', fault20014: 'getLead', scheduleCampaignClone: 'scheduleCampaign' };

const versionNumber = (v) => v.split('_').map(Number);
const atLeast = (v, since) => {
  const [a, b] = versionNumber(v);
  const [c, d] = versionNumber(since);
  return a > c || (a === c && b >= d);
};

/** The scenarios one stack × WSDL row runs. */
function rowScenarios(stack, v) {
  const extra = EXTRA_SCENARIOS.filter((x) => x.stacks.includes(stack.id) && atLeast(v.version, x.since));
  return SCENARIOS.concat(extra.map((x) => x.name));
}

const AXIS_CP = ['axis', 'axis-jaxrpc', 'axis-saaj', 'wsdl4j', 'commons-discovery', 'commons-logging']
  .concat(['javax.activation', 'javax.mail'])
  .map((j) => `/usr/share/java/${j}.jar`)
  .join(':');
const JAXWS_CP = '/usr/share/java/jaxws-rt.jar';
const drv = (p) => join(COMPAT, p);
const javaFiles = (dir) => readdirSync(dir).map((f) => join(dir, f));

function pkgVersion(name) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/**
 * The stacks. `wsdl`: builds from a WSDL (served and files) or not at all. `build(dir, v)`: the
 * commands that generate and compile the client, once per row (each [cmd, args, {cwd}]).
 * `run(dir, v)`: the driver command. `version`: [label, cmd, args] probes and Debian packages.
 */
const STACKS = [
  {
    id: 'php',
    name: 'PHP SoapClient',
    wsdl: true,
    tools: ['php'],
    run: () => ['php', [drv('php/driver.php')]],
    version: [['PHP', 'php', ['-r', 'echo PHP_VERSION, " ext-soap ", phpversion("soap");']]],
    debs: ['php8.2-soap'],
  },
  {
    id: 'zeep',
    name: 'Python zeep',
    wsdl: true,
    tools: ['/usr/bin/python3'],
    run: () => ['/usr/bin/python3', [drv('python/zeep_driver.py')]],
    version: [
      [
        'zeep',
        '/usr/bin/python3',
        ['-c', 'import zeep, sys; print(zeep.__version__, "on Python", sys.version.split()[0])'],
      ],
    ],
    debs: ['python3-zeep'],
  },
  {
    id: 'suds',
    name: 'Python suds',
    wsdl: true,
    tools: ['/usr/bin/python3'],
    run: () => ['/usr/bin/python3', [drv('python/suds_driver.py')]],
    version: [['suds', '/usr/bin/python3', ['-c', 'import suds; print(suds.__version__)']]],
    debs: ['python3-suds'],
  },
  {
    id: 'node-soap',
    name: 'node-soap',
    wsdl: true,
    tools: [],
    run: () => [process.execPath, [drv('node/node-soap.mjs')]],
    version: [['soap', null, () => `${pkgVersion('soap')} on Node ${process.version}`]],
  },
  {
    id: 'strong-soap',
    name: 'strong-soap',
    wsdl: true,
    tools: [],
    run: () => [process.execPath, [drv('node/strong-soap.mjs')]],
    version: [['strong-soap', null, () => `${pkgVersion('strong-soap')} on Node ${process.version}`]],
  },
  {
    id: 'soap-lite',
    name: 'Perl SOAP::Lite',
    wsdl: false,
    tools: ['perl'],
    run: () => ['perl', [drv('perl/soap-lite.pl')]],
    version: [['SOAP::Lite', 'perl', ['-MSOAP::Lite', '-e', 'print $SOAP::Lite::VERSION']]],
    debs: ['libsoap-lite-perl'],
  },
  {
    id: 'soap-wsdl',
    name: 'Perl SOAP::WSDL',
    wsdl: true,
    tools: ['perl', 'wsdl2perl'],
    build: (dir, v) => [['wsdl2perl', ['-b', dir, '-p', 'Mkt', v.wsdlUrl]]],
    run: (dir) => ['perl', ['-I', dir, drv('perl/soap-wsdl.pl')]],
    version: [['SOAP::WSDL', 'perl', ['-MSOAP::WSDL', '-e', 'print $SOAP::WSDL::VERSION']]],
    debs: ['libsoap-wsdl-perl'],
  },
  {
    id: 'jaxws',
    name: 'Java JAX-WS RI',
    wsdl: true,
    tools: ['wsimport', 'javac', 'java'],
    build: (_dir, v, scenarios) => [
      [
        'wsimport',
        ['-quiet', '-XadditionalHeaders', '-keep', '-p', 'com.marketo.mktows', '-s', 'src', '-d', 'bin', v.wsdl],
      ],
      [
        'javac',
        ['-nowarn', '-cp', `bin:${JAXWS_CP}`, '-d', 'bin', drv('java/jaxws/Driver.java')].concat(
          scenarios.includes('scheduleCampaignClone') ? [drv('java/jaxws/ScheduleCampaignClone.java')] : [],
        ),
      ],
    ],
    dirs: ['src', 'bin'],
    run: (dir) => ['java', ['-cp', `${join(dir, 'bin')}:${JAXWS_CP}`, 'Driver']],
    version: [
      ['wsimport', 'wsimport', ['-version']],
      ['Java', 'java', ['-version']],
    ],
    debs: ['jaxws', 'libjaxws-java'],
  },
  {
    id: 'axis',
    name: 'Java Axis 1.4',
    wsdl: true,
    tools: ['javac', 'java'],
    files: ['/usr/share/java/axis.jar'],
    build: (dir, v) => [
      ['java', ['-cp', AXIS_CP, 'org.apache.axis.wsdl.WSDL2Java', '-o', 'src', '-p', 'com.marketo.mktows', v.wsdl]],
      () => [
        'javac',
        ['-nowarn', '-encoding', 'UTF-8', '-cp', AXIS_CP, '-d', 'bin']
          .concat(javaFiles(join(dir, 'src/com/marketo/mktows')))
          .concat(drv('java/axis/Driver.java')),
      ],
    ],
    dirs: ['bin'],
    run: (dir) => ['java', ['-cp', `${join(dir, 'bin')}:${AXIS_CP}`, 'Driver']],
    version: [['Axis', 'java', ['-cp', AXIS_CP, 'org.apache.axis.Version']]],
    debs: ['libaxis-java'],
  },
  {
    id: 'gsoap',
    name: 'gSOAP C++',
    wsdl: true,
    tools: ['wsdl2h', 'soapcpp2', 'g++', 'pkg-config'],
    build: (_dir, v) => [
      ['wsdl2h', ['-c++11', '-o', 'mkt.h', v.wsdl]],
      ['soapcpp2', ['-j', '-C', '-x', 'mkt.h']],
      () => [
        'g++',
        ['-std=c++14', '-w', '-I.', '-o', 'driver', 'soapC.cpp', 'soapMktowsApiSoapBindingProxy.cpp']
          .concat(drv('gsoap/driver.cpp'))
          .concat(
            execFileSync('pkg-config', ['--cflags', '--libs', 'gsoap++'], { encoding: 'utf8' }).trim().split(/\s+/),
          )
          .concat('-lcrypto'),
      ],
    ],
    run: (dir) => [join(dir, 'driver'), []],
    version: [['gSOAP', 'soapcpp2', ['-V']]],
    debs: ['gsoap', 'libgsoap-dev'],
  },
  {
    id: 'mono',
    name: '.NET ASMX (Mono)',
    wsdl: true,
    tools: ['wsdl', 'mcs', 'mono'],
    build: (_dir, v) => [
      ['wsdl', ['-nologo', '-out:Mkt.cs', '-n:Mkt', v.wsdl]],
      [
        'mcs',
        ['-nologo', '-out:driver.exe', '-r:System.Web.Services', '-r:System.Xml', 'Mkt.cs', drv('mono/Driver.cs')],
      ],
    ],
    run: (dir) => ['mono', [join(dir, 'driver.exe')]],
    version: [['Mono', 'mono', ['--version']]],
    debs: ['mono-devel'],
  },
  {
    id: 'soap4r',
    name: 'Ruby soap4r',
    wsdl: true,
    tools: ['ruby'],
    run: () => ['ruby', [drv('ruby/driver.rb')]],
    version: [
      ['soap4r', 'ruby', ['-rsoap/soap', '-e', 'print "SOAP::VERSION #{SOAP::VERSION} on Ruby #{RUBY_VERSION}"']],
    ],
    debs: ['ruby-soap4r'],
  },
];

// ---------------------------------------------------------------------------------------------

/** Runs a command; resolves {code, stdout, stderr, timedOut}. The process group dies on timeout. */
function exec(cmd, argv, { cwd, env, timeoutMs }) {
  return new Promise((resolvePromise) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(cmd, argv, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolvePromise({ code: -1, stdout, stderr: String(e), timedOut });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    let done = false;
    const finish = (code) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr, timedOut });
    };
    child.on('error', (e) => {
      stderr += String(e);
      finish(-1);
    });
    child.on('close', finish);
  });
}

function onPath(tool) {
  if (tool.startsWith('/')) return existsSync(tool);
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, tool)));
}

const tail = (s, n = 600) => {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > n ? `…${t.slice(-n)}` : t;
};

async function admin(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** The WSDL variants a stack runs with. */
function variants(stack, base) {
  if (!stack.wsdl) {
    return [{ id: 'no-wsdl', label: 'none (3_1 endpoint)', version: '3_1', endpoint: `${base}/soap/mktows/3_1` }];
  }
  const served = (process.env.MKTOWS_COMPAT_SERVED ?? '3_1').split(',').map((v) => ({
    id: `served-${v}`,
    label: `served ${v}`,
    version: v,
    wsdl: `${base}/soap/mktows/${v}?WSDL`,
    wsdlUrl: `${base}/soap/mktows/${v}?WSDL`,
    endpoint: `${base}/soap/mktows/${v}`,
  }));
  const files = ['2_2', '2_6'].map((v) => ({
    id: `marketo-${v}`,
    label: `Marketo ${v} file`,
    version: v,
    wsdl: join(REFERENCE, `mktows-${v}.wsdl`),
    wsdlUrl: pathToFileURL(join(REFERENCE, `mktows-${v}.wsdl`)).href,
    endpoint: `${base}/soap/mktows/${v}`,
  }));
  return served.concat(files.filter((f) => existsSync(f.wsdl)));
}

/** Runs one stack × WSDL variant; returns {cells: {scenario: {status, code, msg}}, seconds}. */
async function runRow(base, stack, v) {
  const started = Date.now();
  const rowId = `${stack.id}-${v.id}`;
  const scenarios = rowScenarios(stack, v);
  const cells = {};
  const failAll = (msg) => {
    for (const s of scenarios) cells[s] ??= { status: 'fail', code: '', msg };
    return { cells, seconds: (Date.now() - started) / 1000 };
  };
  const missing = stack.tools.filter((t) => !onPath(t)).concat((stack.files ?? []).filter((f) => !existsSync(f)));
  if (missing.length) return failAll(`not installed: ${missing.join(', ')} (run compat/install-deps.sh)`);

  const userId = `compat_${rowId.replace(/[^a-z0-9]/gi, '_')}`;
  const key = randomBytes(16).toString('hex');
  await admin(base, 'POST', '/_mktows/users', { userId, encryptionKey: key });

  const dir = join(BUILD, rowId);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const d of stack.dirs ?? []) mkdirSync(join(dir, d), { recursive: true });
  const env = {
    ...process.env,
    MKTOWS_WSDL: v.wsdl ?? '',
    MKTOWS_ENDPOINT: v.endpoint,
    MKTOWS_USER: userId,
    MKTOWS_KEY: key,
    MKTOWS_EMAIL: `compat.${rowId}.${RUN_TAG}@example.com`.toLowerCase(),
    MKTOWS_SCENARIOS: scenarios.join(','),
    // Through the bridge, remainingCount is a flag (0 at the end, else at least 1): REST never counts.
    MKTOWS_COMPAT_BRIDGE: bridged ? '1' : '',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  const deadline = started + (stack.build ? 300_000 : 120_000);
  for (const step of stack.build?.(dir, v, scenarios) ?? []) {
    const [cmd, argv] = typeof step === 'function' ? step() : step;
    const r = await exec(cmd, argv, { cwd: dir, env, timeoutMs: Math.max(1000, deadline - Date.now()) });
    if (r.code !== 0) {
      const why = r.timedOut ? 'timed out' : `exit ${r.code}`;
      return failAll(`build step ${cmd} ${why}: ${tail(r.stderr || r.stdout)}`);
    }
  }
  const [cmd, argv] = stack.run(dir, v);
  const r = await exec(cmd, argv, { cwd: dir, env, timeoutMs: Math.max(1000, deadline - Date.now()) });
  for (const line of r.stdout.split('\n')) {
    const [tag, name, status, code, msg] = line.split('\t');
    if (tag === 'RESULT' && scenarios.includes(name)) cells[name] = { status, code: code ?? '', msg: msg ?? '' };
  }
  writeFileSync(join(dir, 'driver.log'), `$ ${cmd} ${argv.join(' ')}\n${r.stdout}\n--- stderr\n${r.stderr}`);

  // Pending: the scenario failed and the server's journal shows it answered this row's call to the
  // operation with 20019 "not implemented by this server yet". (A 20019 for an unknown body element,
  // e.g. a client that drops the params wrapper, has no operation and stays a failure.)
  const journal = await admin(base, 'GET', `/_mktows/journal?userId=${userId}&code=20019&limit=1000`);
  const unimplemented = new Set(
    journal.entries.filter((e) => e.operation && /not implemented/.test(e.response)).map((e) => e.operation),
  );
  for (const [name, cell] of Object.entries(cells)) {
    if (cell.status === 'fail' && unimplemented.has(OPERATION[name] ?? name)) {
      cells[name] = { status: 'pending', code: '20019', msg: 'server answers 20019 (not implemented yet)' };
    }
  }
  const why = r.timedOut ? 'driver timed out' : `driver exited ${r.code}`;
  return failAll(`no result (${why}): ${tail(r.stderr || r.stdout)}`);
}

function version(stack) {
  const parts = [];
  for (const [label, cmd, argv] of stack.version) {
    if (typeof argv === 'function') {
      parts.push(`${label} ${argv()}`);
      continue;
    }
    // Some print their version on stderr (java -version).
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 20_000 });
    const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n')[0].trim();
    if (r.status !== 0 || !text) parts.push(`${label}: not available`);
    else parts.push(text.toLowerCase().includes(label.toLowerCase()) ? text : `${label} ${text}`);
  }
  for (const deb of stack.debs ?? []) {
    try {
      // `dpkg-query -W pkg` prints "pkg<TAB>version".
      parts.push(execFileSync('dpkg-query', ['-W', deb], { encoding: 'utf8' }).trim().replace('\t', ' '));
    } catch {
      parts.push(`${deb} not installed`);
    }
  }
  return parts.join('; ');
}

async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, n) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

const SHOW = { pass: 'pass', fail: 'FAIL', pending: 'pending', cannot: 'cannot express' };

/** The scenario columns: every row's, then the extra ones some row ran. */
function columns(rows) {
  const extra = EXTRA_SCENARIOS.map((x) => x.name).filter((n) => rows.some((r) => r.cells[n]));
  return SCENARIOS.concat(extra);
}

/** A cell as shown: "–" where the row does not run the scenario. */
const show = (cell) => (cell ? (SHOW[cell.status] ?? cell.status) : '–');

function table(rows, markdown) {
  const scenarios = columns(rows);
  const head = ['Stack', 'WSDL', ...scenarios];
  const body = rows.map((r) => [r.stack.name, r.variant.label, ...scenarios.map((s) => show(r.cells[s]))]);
  if (markdown) {
    return [head, head.map(() => '---'), ...body].map((cols) => `| ${cols.join(' | ')} |`).join('\n');
  }
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((cols) => cols[i].length)));
  return [head, ...body].map((cols) => cols.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

/** Every cell that is not pass or pending, grouped by stack and reason. */
function notes(rows) {
  const groups = new Map();
  for (const r of rows) {
    for (const [s, c] of Object.entries(r.cells)) {
      if (c.status === 'pass' || c.status === 'pending') continue;
      const key = `${r.stack.name}\u0000${c.status}\u0000${c.msg}`;
      if (!groups.has(key))
        groups.set(key, { stack: r.stack, status: c.status, msg: c.msg, scenarios: new Set(), wsdls: new Set() });
      groups.get(key).scenarios.add(s);
      groups.get(key).wsdls.add(r.variant.label);
    }
  }
  return [...groups.values()].map(
    (g) =>
      `- **${g.stack.name}**, ${[...g.scenarios].join(', ')} (${[...g.wsdls].join(', ')}): ${SHOW[g.status]}: ${g.msg}`,
  );
}

async function main() {
  const t0 = Date.now();
  if (process.env.CI && !existsSync(REFERENCE)) {
    console.error(`${REFERENCE} is missing; CI needs Marketo's WSDLs for the matrix`);
    process.exit(1);
  }
  const external = opt('--url');
  if (!external && !args.includes('--no-build')) {
    console.log('== building the server');
    try {
      execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'packages/protocol', 'packages/server'], {
        cwd: ROOT,
        stdio: 'inherit',
      });
    } catch {
      console.error('the server does not build (tsc -b packages/protocol packages/server); no matrix');
      process.exit(1);
    }
  }
  let server;
  let emulator;
  let base = external?.replace(/\/+$/, '');
  if (!external) {
    const { startServer } = await import(pathToFileURL(join(ROOT, 'packages/server/dist/src/server.js')).href);
    const quiet = { port: 0, logLevel: 'silent', journalSize: 100_000 };
    if (bridged) {
      // The data in an emulator; the stacks talk to a bridge that reaches it only through REST.
      const client = { clientId: 'compat', clientSecret: randomBytes(12).toString('hex') };
      emulator = await startServer({
        ...quiet,
        store: 'sqlite::memory:',
        restClients: [client],
        restRatePerWindow: 100_000,
        restConcurrency: 1_000,
      });
      server = await startServer({
        ...quiet,
        store: `marketo+${emulator.url.replace('://', `://${client.clientId}:${client.clientSecret}@`)}`,
        bridgeState: 'sqlite::memory:',
        upstreamRatePerWindow: 100_000,
        upstreamConcurrency: 1_000,
      });
    } else {
      server = await startServer({ ...quiet, store: 'sqlite::memory:' });
    }
    base = server.url;
  }
  const { version: VERSION } = await admin(base, 'GET', '/_mktows/health');
  console.log(
    `== mktows ${VERSION} at ${base}; reference WSDLs ${existsSync(REFERENCE) ? `in ${REFERENCE}` : 'absent'}`,
  );
  rmSync(BUILD, { recursive: true, force: true });
  mkdirSync(BUILD, { recursive: true });

  const stacks = STACKS.filter((s) => !only || only.includes(s.id));
  const work = stacks.flatMap((stack) => variants(stack, base).map((variant) => ({ stack, variant })));
  let rows;
  try {
    rows = await pool(work, jobs, async ({ stack, variant }) => {
      const { cells, seconds } = await runRow(base, stack, variant);
      const counts = {};
      for (const c of Object.values(cells)) counts[c.status] = (counts[c.status] ?? 0) + 1;
      const summary = Object.entries(counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      console.log(`   ${stack.id} / ${variant.id}: ${summary} (${seconds.toFixed(1)} s)`);
      return { stack, variant, cells, seconds };
    });
  } finally {
    await server?.close();
    await emulator?.close();
  }
  const seconds = (Date.now() - t0) / 1000;
  const failed = rows.some((r) => Object.values(r.cells).some((c) => c.status === 'fail'));
  const detail = notes(rows);
  console.log(`\n${table(rows, false)}\n`);
  if (detail.length) console.log(`${detail.join('\n')}\n`);
  console.log(`matrix ${failed ? 'FAILED' : 'passed'} in ${seconds.toFixed(0)} s`);

  if (!args.includes('--no-results')) {
    const versions = stacks.map((s) => `| ${s.name} | ${version(s).replace(/\|/g, '\\|')} |`);
    const md = [
      bridged ? '# Compatibility matrix results: through the bridge' : '# Compatibility matrix results',
      '',
      ...(bridged
        ? [
            "The stacks drive a bridge (`--store marketo+http://…`) in front of an emulator's REST API: every",
            'SOAP call is performed through REST.',
            '',
          ]
        : []),
      `Written by \`npm run test:compat${bridged ? ' -- --bridge' : ''}\` (compat/run.mjs) on ${new Date().toISOString()}: mktows ${VERSION},`,
      `Node ${process.version}, ${work.length} rows in ${seconds.toFixed(0)} s. **${failed ? 'FAILED' : 'Passed'}.**`,
      '',
      'Each row is one client stack built from one WSDL: "served" is `GET <endpoint>?WSDL` from mktows,',
      '"Marketo 2_x file" is Marketo\'s own WSDL (`../shared/reference/`) with the endpoint overridden.',
      'Cells: pass; FAIL; pending (the server answers 20019 "not implemented yet" for the operation);',
      'cannot express (a limit of the client stack, reason below); – (the row does not run the scenario).',
      '',
      table(rows, true),
      '',
      ...(detail.length ? ['## Cannot express, and failures', '', ...detail, ''] : []),
      '## Versions',
      '',
      '| Stack | Version |',
      '| --- | --- |',
      ...versions,
      '',
    ].join('\n');
    const file = bridged ? 'RESULTS-bridge.md' : 'RESULTS.md';
    writeFileSync(join(COMPAT, file), md);
    console.log(`wrote compat/${file}`);
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
