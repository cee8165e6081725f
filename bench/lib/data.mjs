/**
 * Bench stores: SQLite files with the server's own schema (its migrations, from dist/) filled by a
 * bulk insert (indexes dropped, rows inserted in one transaction, indexes rebuilt), cached under
 * bench/.data/ and keyed by the lead count and the migration names, so a schema change rebuilds them.
 * Scenarios that write get a copy; the cached file is never opened by a server.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATA_DIR, dist } from './common.mjs';

const DATA_VERSION = 1;
const DAY_MS = 86_400_000;

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Dennis', 'Frances', 'Ken'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Ritchie', 'Allen', 'Wirth'];
const COMPANY = ['Analytical Engines', 'Compiler Works', 'Enigma Labs', 'Shortest Path Inc', 'TeX Press', 'Unix Tools'];
const INDUSTRY = ['Software', 'Education', 'Manufacturing', 'Finance', 'Healthcare'];
const SOURCE = ['Website', 'Webinar', 'Trade Show', 'Partner', 'Paid Search'];
const STATUS = ['New', 'Contacted', 'Qualified', 'Nurture'];
const CITY = [
  ['London', '', 'United Kingdom'],
  ['Chicago', 'IL', 'United States'],
  ['San Francisco', 'CA', 'United States'],
  ['Zurich', '', 'Switzerland'],
  ['Toronto', 'ON', 'Canada'],
];

/** The e-mail of bench lead number n (1-based); `tag` separates generated batches. */
export function leadEmail(n, tag = 'bench') {
  return `${FIRST[n % 10].toLowerCase()}.${LAST[(n * 7) % 10].toLowerCase()}.${n}@${tag}.example`;
}

/** The attributes of bench lead n: 14 standard fields, as a CRM export would carry. */
export function leadAttributes(n) {
  const [city, state, country] = CITY[n % CITY.length];
  const company = COMPANY[n % COMPANY.length];
  const a = {
    FirstName: FIRST[n % 10],
    LastName: LAST[(n * 7) % 10],
    Company: company,
    Title: n % 3 === 0 ? 'Engineer' : n % 3 === 1 ? 'Director' : 'Analyst',
    Industry: INDUSTRY[n % INDUSTRY.length],
    City: city,
    Country: country,
    LeadSource: SOURCE[n % SOURCE.length],
    LeadStatus: STATUS[n % STATUS.length],
    LeadScore: String((n * 37) % 100),
    NumberOfEmployees: String(10 + ((n * 53) % 5000)),
    Website: `https://${company.toLowerCase().replace(/ /g, '')}.example`,
    Phone: `+1 312 555 ${String(1000 + (n % 9000)).slice(-4)}`,
  };
  if (state) a.State = state;
  return a;
}

/**
 * Bench lead n as stored: id, email, email_lc, foreign_sys_person_id, foreign_sys_type,
 * sfdc_lead_id, attributes (JSON), created_at, updated_at. Every store kind gets the same rows.
 */
export function storedLead(n, base) {
  const email = leadEmail(n);
  const attrs = leadAttributes(n);
  const sfdc = n % 5 === 0 ? `00Q${String(n).padStart(15, '0')}` : null;
  if (sfdc) attrs.SFDCLeadId = sfdc;
  // A multiplicative hash spreads updated_at over the day independently of the id.
  const updated = base - 1 - ((n * 2_654_435_761) % DAY_MS);
  return [
    n,
    email,
    email,
    n % 10 === 0 ? `CRM-${n}` : null,
    n % 10 === 0 ? 'CUSTOM' : null,
    sfdc,
    JSON.stringify(attrs),
    updated - DAY_MS,
    updated,
  ];
}

/** The meta document of a cached store: when its updated_at values were spread. */
function metaPath(db) {
  return `${db}.json`;
}

async function schemaKey() {
  const { migrations } = await dist('server', 'store/sql/migrations/migrations.js');
  return Object.keys(migrations('sqlite')).join(',');
}

/**
 * A cached store of `count` leads; builds it when missing or stale. Lead n has id n; updated_at
 * lies in [base - 1 day, base), shuffled (not in id order), so a LastUpdateAtSelector of
 * [base - 1 day, base] matches every lead.
 */
export async function cachedStore(count, log = () => {}) {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `leads-${count}.db`);
  const key = await schemaKey();
  if (existsSync(path) && existsSync(metaPath(path))) {
    const meta = JSON.parse(readFileSync(metaPath(path), 'utf8'));
    if (meta.version === DATA_VERSION && meta.schema === key && meta.count === count) return { path, ...meta };
  }
  const t0 = performance.now();
  log(`building the ${count.toLocaleString('en-US')}-lead store (cached in bench/.data/ for later runs)…`);
  const tmp = `${path}.building`;
  for (const p of [tmp, `${tmp}-wal`, `${tmp}-shm`, path, metaPath(path)]) rmSync(p, { force: true });
  // The server's migrations create the schema.
  const { openStore } = await dist('server', 'store/open.js');
  const store = await openStore(`sqlite:${tmp}`);
  await store.close();

  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads' AND sql IS NOT NULL")
    .all();
  for (const ix of indexes) db.exec(`DROP INDEX ${ix.name}`);
  const insert = db.prepare(
    `INSERT INTO leads (id, email, email_lc, foreign_sys_person_id, foreign_sys_type, owner_id, sfdc_lead_id,
       sfdc_contact_id, sfdc_account_id, attributes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, NULL, ?, NULL, NULL, ?, ?, ?)`,
  );
  const base = Date.now();
  const fill = db.transaction(() => {
    for (let n = 1; n <= count; n++) insert.run(...storedLead(n, base));
  });
  fill();
  for (const ix of indexes) db.exec(ix.sql);
  db.pragma('journal_mode = DELETE');
  db.close();
  renameSync(tmp, path);
  const meta = { version: DATA_VERSION, schema: key, count, from: base - DAY_MS, to: base };
  writeFileSync(metaPath(path), `${JSON.stringify(meta)}\n`);
  log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { path, ...meta };
}

/** A private copy of a cached store for a run that writes to it (the server adds its WAL next to it). */
export function workCopy(src, name) {
  const dst = join(DATA_DIR, `work-${name}.db`);
  for (const p of [dst, `${dst}-wal`, `${dst}-shm`]) rmSync(p, { force: true });
  copyFileSync(src, dst);
  // Written through before the server starts: otherwise the server's first checkpoint fsync pays
  // for flushing the whole copy (570 MB for 1M leads) inside the measured time.
  const fd = openSync(dst, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return dst;
}

export function removeWork(path) {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
}

/** An empty store with the server's schema. */
export async function emptyStore(name) {
  const dst = join(DATA_DIR, `work-${name}.db`);
  removeWork(dst);
  const { openStore } = await dist('server', 'store/open.js');
  const store = await openStore(`sqlite:${dst}`);
  await store.close();
  return dst;
}
