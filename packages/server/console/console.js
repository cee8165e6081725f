// The mktows web console: reads the typed admin JSON API (admin/console-types.ts) and nothing else.
// The journal is polled with ?sinceId= rather than streamed: a poll carries the admin token as a
// Bearer header (EventSource cannot), shows every replica's calls once they are in the shared
// journal, and holds no connection open that a graceful shutdown would have to wait for.
const POLL_MS = 750;
const LIMITS_MS = 2000;
const $ = (sel) => document.querySelector(sel);

const state = { generation: 0, sinceId: 0, entries: [], selected: null, filter: {}, pollTimer: 0, limitsTimer: 0 };

function status(text) {
  $('#status').textContent = text;
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

function row(...cells) {
  return el(
    'tr',
    {},
    ...cells.map((c) => (c instanceof Node && (c.tagName === 'TD' || c.tagName === 'TH') ? c : el('td', {}, c))),
  );
}

async function api(method, path, body) {
  const headers = {};
  const token = sessionStorage.getItem('mktows-admin-token');
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401) {
    // A request sent before the token was entered answers 401 late: only a refused current token asks again.
    if (token === sessionStorage.getItem('mktows-admin-token')) $('#token-form').hidden = false;
    throw new Error('the admin token is needed');
  }
  const json = await r.json();
  if (!r.ok) throw new Error(json.error ?? `HTTP ${r.status}`);
  return json;
}

function failed(e) {
  status(`Error: ${e.message}`);
}

// ---- pretty printing
function prettyXml(xml) {
  let depth = 0;
  const out = [];
  for (const part of xml.replace(/>\s*</g, '><').split(/(?=<)|(?<=>)/)) {
    if (part.trim() === '') continue;
    if (/^<\//.test(part)) depth = Math.max(0, depth - 1);
    const last = out.length ? out[out.length - 1] : '';
    // Text and its closing tag stay on the line of their opening tag.
    if (!part.startsWith('<') || (/^<\//.test(part) && /^\s*<[^/!?][^>]*>[^<]*$/.test(last))) {
      out[out.length - 1] = last + part;
    } else {
      out.push('  '.repeat(depth) + part);
    }
    if (/^<[^/!?][^>]*[^/]>$/.test(part) || /^<[^/!?]>$/.test(part)) depth++;
  }
  return out.join('\n');
}

function pretty(text) {
  const t = text.trim();
  if (t.startsWith('<')) return prettyXml(t);
  // A REST request: its request line, then the body, if any.
  const [head, ...rest] = t.split('\n\n');
  const body = rest.join('\n\n');
  const json = (s) => {
    try {
      return JSON.stringify(JSON.parse(s), null, 2);
    } catch {
      return s;
    }
  };
  if (head.startsWith('{') || head.startsWith('[')) return json(t);
  return body ? `${head}\n\n${json(body)}` : head;
}

// ---- journal
function journalQuery(extra = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state.filter, ...extra })) if (v !== '' && v !== undefined) q.set(k, v);
  return q.toString();
}

function journalRow(e) {
  const fault = e.faultCode === null ? '' : String(e.faultCode);
  const tr = row(
    e.time.slice(11, 23),
    e.api.toUpperCase(),
    e.replica,
    e.userId ?? '',
    el(
      'td',
      {},
      el('button', { class: 'link', type: 'button', onclick: () => showCall(e, tr) }, e.operation ?? '(unknown)'),
    ),
    String(e.status),
    el('td', fault ? { class: 'fault' } : {}, fault),
    String(e.durationMs),
  );
  tr.dataset.id = e.id;
  return tr;
}

async function pollJournal() {
  clearTimeout(state.pollTimer);
  // A poll still out when the filter changes answers for the old filter: its answer is dropped and
  // its loop ends, so that one loop polls, for the current filter.
  const generation = state.generation;
  try {
    const { entries } = await api('GET', `/_mktows/journal?${journalQuery({ sinceId: state.sinceId, limit: 200 })}`);
    if (generation !== state.generation) return;
    if (entries.length) {
      state.sinceId = entries[0].id;
      state.entries = [...entries, ...state.entries].slice(0, 1000);
      const body = $('#journal-table tbody');
      body.prepend(...entries.map(journalRow));
      while (body.rows.length > 1000) body.lastChild.remove();
    }
    // Not the status region: action messages stay there while the journal keeps polling.
    $('#journal-live').textContent =
      `Live: ${state.entries.length} calls shown, updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    if (generation !== state.generation) return;
    failed(e);
  }
  state.pollTimer = setTimeout(pollJournal, POLL_MS);
}

function restartJournal() {
  state.generation++;
  state.sinceId = 0;
  state.entries = [];
  $('#journal-table tbody').replaceChildren();
  pollJournal();
}

function showCall(e, tr) {
  state.selected = e;
  for (const r of document.querySelectorAll('#journal-table tr[aria-selected]')) r.removeAttribute('aria-selected');
  tr.setAttribute('aria-selected', 'true');
  $('#call').hidden = false;
  $('#call-title').textContent =
    `Call ${e.id}: ${e.operation ?? '(unknown)'} by ${e.userId ?? '(no user)'}, status ${e.status}${e.faultCode === null ? '' : `, fault ${e.faultCode}`}`;
  $('#call-request').textContent = pretty(e.request);
  $('#call-response').textContent = pretty(e.response);
  // On a bridge: the REST calls the SOAP call made, one line each (no token is ever kept).
  const upstream = e.upstream ?? [];
  $('#upstream-title').hidden = upstream.length === 0;
  $('#upstream-box').hidden = upstream.length === 0;
  $('#call-upstream').textContent = upstream.map(upstreamLine).join('\n');
  $('#call-note').textContent = '';
  $('#curl-box').hidden = true;
  $('#replay').disabled = e.api !== 'soap';
  $('#call-title').focus?.();
}

function upstreamLine(u) {
  return `${u.method} ${u.path}  HTTP ${u.status}${u.code === null ? '' : `  REST error ${u.code}`}  ${u.ms} ms`;
}

const shellQuote = (s) => `'${s.replaceAll("'", "'\\''")}'`;

function curlOf(e) {
  const origin = location.origin;
  if (e.api === 'soap') {
    return `curl -X POST ${shellQuote(`${origin}/soap/mktows/3_1`)} -H 'Content-Type: text/xml; charset=utf-8' -H 'SOAPAction: ""' --data-binary ${shellQuote(e.request)}`;
  }
  const [line, ...rest] = e.request.split('\n\n');
  const [method, target] = line.split(' ');
  const body = rest.join('\n\n');
  // The journal keeps no token: the command reads a fresh one from $MKTO_TOKEN (identity calls need none).
  const auth = target.startsWith('/identity/') ? '' : ` -H "Authorization: Bearer $MKTO_TOKEN"`;
  return `curl -X ${method} ${shellQuote(origin + target)}${auth}${body ? ` -H 'Content-Type: application/json' --data-binary ${shellQuote(body)}` : ''}`;
}

async function copyCurl() {
  const e = state.selected;
  const text = curlOf(e);
  $('#curl').textContent = text;
  $('#curl-box').hidden = false;
  const masked =
    e.api === 'soap'
      ? ' The signature is masked: sign the request again before sending it.'
      : ' The token is not kept: set MKTO_TOKEN to a fresh access token first.';
  try {
    await navigator.clipboard.writeText(text);
    $('#call-note').textContent = `Copied as curl.${masked}`;
  } catch {
    $('#call-note').textContent = `curl command below (the clipboard is not available).${masked}`;
  }
}

async function replay() {
  const e = state.selected;
  $('#call-note').textContent = 'Replaying…';
  try {
    const r = await api('POST', `/_mktows/journal/${e.id}/replay`);
    $('#call-note').textContent =
      `Replayed call ${r.replayOf}, signed afresh with ${e.userId}'s key: status ${r.status}${r.faultCode === null ? '' : `, fault ${r.faultCode}`}. The replay is in the journal.`;
  } catch (err) {
    $('#call-note').textContent = `Replay failed: ${err.message}`;
  }
}

async function exportJournal() {
  try {
    const { entries } = await api('GET', `/_mktows/journal?${journalQuery()}`);
    const url = URL.createObjectURL(new Blob([JSON.stringify({ entries }, null, 2)], { type: 'application/json' }));
    const a = el('a', { href: url, download: 'mktows-journal.json' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status(`exported ${entries.length} calls`);
  } catch (e) {
    failed(e);
  }
}

// ---- limits
function fraction(used, of) {
  return of === undefined || of === null ? String(used) : `${used} / ${of}`;
}

async function refreshLimits() {
  clearTimeout(state.limitsTimer);
  try {
    const { users } = await api('GET', '/_mktows/users');
    const snaps = await Promise.all(
      users.map((u) => api('GET', `/_mktows/limits?userId=${encodeURIComponent(u.userId)}`)),
    );
    const rest = await api('GET', '/_mktows/limits?api=rest');
    const rows = snaps.map((s) =>
      row(
        s.userId,
        fraction(s.quotaUsed, s.quotaPerDay),
        s.quotaResetsAt,
        fraction(s.windowCalls, s.ratePerWindow),
        fraction(s.inFlight, s.concurrency),
      ),
    );
    rows.push(
      row(
        'REST (instance)',
        fraction(rest.quotaUsed, rest.quotaPerDay),
        rest.quotaResetsAt,
        fraction(rest.windowCalls, rest.ratePerWindow),
        fraction(rest.inFlight, rest.concurrency),
      ),
    );
    $('#limits-table tbody').replaceChildren(...rows);
  } catch (e) {
    failed(e);
  }
  if (current() === 'limits') state.limitsTimer = setTimeout(refreshLimits, LIMITS_MS);
}

// ---- faults
async function refreshFaults() {
  try {
    const { rules } = await api('GET', '/_mktows/faults');
    $('#faults-table tbody').replaceChildren(
      ...rules.map((r) =>
        row(
          String(r.id),
          r.operation,
          r.code === undefined || r.code === null ? '' : String(r.code),
          r.count === undefined || r.count === null ? '' : String(r.remaining ?? r.count),
          r.probability === undefined || r.probability === null ? '' : String(r.probability),
          r.delayMs === undefined || r.delayMs === null ? '' : String(r.delayMs),
          r.userId ?? '',
          el(
            'td',
            {},
            el(
              'button',
              { type: 'button', 'aria-label': `Remove rule ${r.id}`, onclick: () => removeFault(r.id) },
              'Remove',
            ),
          ),
        ),
      ),
    );
  } catch (e) {
    failed(e);
  }
}

async function addFault(ev) {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const rule = { operation: f.get('operation').trim() };
  for (const k of ['code', 'count', 'probability', 'delayMs']) {
    const v = f.get(k).trim();
    if (v !== '') rule[k] = Number(v);
  }
  if (f.get('userId').trim()) rule.userId = f.get('userId').trim();
  try {
    const { id } = await api('POST', '/_mktows/faults', rule);
    status(`fault rule ${id} added`);
    await refreshFaults();
  } catch (e) {
    failed(e);
  }
}

async function removeFault(id) {
  try {
    await api('DELETE', `/_mktows/faults/${id}`);
    status(`fault rule ${id} removed`);
    await refreshFaults();
  } catch (e) {
    failed(e);
  }
}

// ---- data
async function findLeads(ev) {
  ev?.preventDefault();
  const email = new FormData($('#lead-search')).get('email').trim();
  try {
    const r = await api('GET', `/_mktows/leads?${new URLSearchParams(email ? { email } : { limit: '50' })}`);
    $('#lead-total').textContent = email
      ? `${r.leads.length} lead(s) with e-mail ${email}`
      : `${r.total} leads; the first ${r.leads.length} by id`;
    $('#leads-table tbody').replaceChildren(
      ...r.leads.map((l) =>
        row(
          String(l.id),
          el(
            'td',
            {},
            el('button', { class: 'link', type: 'button', onclick: () => showLead(l.id) }, l.email ?? '(no e-mail)'),
          ),
          l.updatedAt,
        ),
      ),
    );
  } catch (e) {
    failed(e);
  }
}

async function showLead(id) {
  try {
    const l = await api('GET', `/_mktows/leads/${id}`);
    $('#lead').hidden = false;
    $('#lead-title').textContent = `Lead ${l.id}: ${l.email ?? '(no e-mail)'}`;
    $('#lead-attrs tbody').replaceChildren(
      ...Object.entries(l.attributes).map(([k, v]) => row(el('th', { scope: 'row' }, k), v)),
    );
    $('#lead-acts tbody').replaceChildren(...l.activities.map((a) => row(a.occurredAt, a.typeName, a.assetName ?? '')));
  } catch (e) {
    failed(e);
  }
}

async function showList(ev) {
  ev?.preventDefault();
  const name = new FormData($('#list-search')).get('name').trim();
  try {
    const r = await api('GET', `/_mktows/lists?${new URLSearchParams({ name, limit: '200' })}`);
    $('#list-summary').textContent = `${r.list.name}: ${r.members.length + r.remaining} members`;
    $('#members-table tbody').replaceChildren(...r.members.map((m) => row(String(m.id), m.email ?? '')));
  } catch (e) {
    $('#list-summary').textContent = e.message;
    $('#members-table tbody').replaceChildren();
  }
}

/** Fills a table body, or says that there is nothing yet. */
function fill(tbody, rows) {
  const columns = tbody.closest('table').querySelectorAll('thead th').length;
  tbody.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: String(columns) }, 'None yet'))]));
}

/** Offers every static list's name in the list field. */
async function listNames() {
  try {
    const { lists } = await api('GET', '/_mktows/lists');
    $('#list-names').replaceChildren(...lists.map((l) => el('option', { value: l.name })));
  } catch (e) {
    failed(e);
  }
}

async function refreshData() {
  await Promise.all([findLeads(), showList(), listNames()]);
  try {
    const [{ campaigns }, { runs }, { imports }] = await Promise.all([
      api('GET', '/_mktows/campaigns'),
      api('GET', '/_mktows/campaign-runs?limit=50'),
      api('GET', '/_mktows/imports?limit=50'),
    ]);
    fill(
      $('#campaigns-table tbody'),
      campaigns.map((c) => row(c.program, c.name, c.kind, c.sources.join(', '))),
    );
    fill(
      $('#runs-table tbody'),
      runs.map((r) => row(r.campaign, r.operation, String(r.leadIds.length), r.runAt)),
    );
    fill(
      $('#imports-table tbody'),
      imports.map((i) => row(String(i.id), i.list, i.status, String(i.rowsImported), String(i.rowsFailed))),
    );
  } catch (e) {
    failed(e);
  }
}

async function reset(seed) {
  const what = seed ? 'Reset the server and load the demo seed?' : 'Reset the server to empty?';
  if (!confirm(`${what} Every lead, list, campaign run, fault rule and the journal are deleted.`)) return;
  try {
    await api('POST', '/_mktows/reset', seed ? { seed } : {});
    status(seed ? 'reset, demo seed loaded' : 'reset to empty');
    restartJournal();
    await refreshData();
  } catch (e) {
    failed(e);
  }
}

// ---- views
const VIEWS = ['journal', 'limits', 'faults', 'data'];

function current() {
  const v = location.hash.slice(1);
  return VIEWS.includes(v) ? v : 'journal';
}

function show() {
  const view = current();
  for (const v of VIEWS) $(`#${v}`).hidden = v !== view;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${view[0].toUpperCase()}${view.slice(1)} · mktows console`;
  status('');
  if (view === 'limits') refreshLimits();
  if (view === 'faults') refreshFaults();
  if (view === 'data') refreshData();
}

function start() {
  $('#token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem('mktows-admin-token', new FormData(ev.target).get('token'));
    $('#token-form').hidden = true;
    restartJournal();
    show();
  });
  $('#journal-filter').addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.filter = Object.fromEntries([...new FormData(ev.target)].map(([k, v]) => [k, String(v).trim()]));
    restartJournal();
  });
  $('#journal-export').addEventListener('click', exportJournal);
  $('#copy-curl').addEventListener('click', copyCurl);
  $('#replay').addEventListener('click', replay);
  $('#fault-form').addEventListener('submit', addFault);
  $('#lead-search').addEventListener('submit', findLeads);
  $('#list-search').addEventListener('submit', showList);
  $('#reset-demo').addEventListener('click', () => reset('demo'));
  $('#reset-empty').addEventListener('click', () => reset(undefined));
  addEventListener('hashchange', show);
  show();
  pollJournal();
}

start();
