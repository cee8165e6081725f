/**
 * The REST catalogue: REST_ERRORS, the REST half of docs/errors.md, `mktows errors --rest --json`
 * and (when ../shared is present) Marketo's own error-codes page agree; RestError takes only its codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FAULTS, isFaultCode, isRestErrorCode, REST_ERRORS, RestError, restMessage } from '@mktows/protocol';
import { parseCodeTable, REST_HEADING } from '../src/cli/errors-doc.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DOC_PATH = join(ROOT, 'docs', 'errors.md');

describe('the REST error catalogue', () => {
  test('codes are unique, none is a SOAP code, every bridge mapping names a SOAP fault', () => {
    const codes = REST_ERRORS.map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const e of REST_ERRORS) {
      assert.equal(isFaultCode(e.code), false, `${e.code} collides with a SOAP code`);
      if (e.soap !== undefined) assert.ok(isFaultCode(e.soap), `${e.code} maps to ${e.soap}, not a SOAP code`);
    }
    assert.deepEqual(
      codes,
      [
        600, 601, 602, 604, 605, 606, 607, 608, 609, 610, 611, 612, 615, 713, 1001, 1002, 1003, 1004, 1005, 1006, 1007,
        1008, 1011, 1012, 1013, 1015, 1016, 1017, 1019, 1020, 1036, 1042,
      ],
    );
    // MAPPING.md §3: the limits map to the SOAP limit faults.
    assert.deepEqual(
      [606, 607, 615].map((c) => REST_ERRORS.find((e) => e.code === c)?.soap),
      [20023, 20015, 20024],
    );
    // Issue #13: what retries with backoff did not cure is the backend's failure, 10001.
    for (const c of [604, 608, 611, 713]) {
      const e = REST_ERRORS.find((x) => x.code === c);
      assert.deepEqual([e?.retry, e?.soap], ['backoff', 10001], `${c}`);
    }
  });

  test('RestError takes only catalogue codes and writes the code as a quoted string', () => {
    const e = new RestError(601);
    assert.deepEqual(e.toJSON(), { code: '601', message: 'Access token invalid' });
    assert.equal(new RestError(1006, "Field 'x' not found").message, "Field 'x' not found");
    assert.equal(restMessage(606, 100, 20), "Max rate limit '100' exceeded with in '20' secs");
    assert.equal(isRestErrorCode(999), false);
    // @ts-expect-error 999 is not a REST catalogue code
    assert.throws(() => new RestError(999));
  });

  test('docs/errors.md has the REST table, agreeing with REST_ERRORS both ways', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    const at = doc.indexOf(REST_HEADING);
    assert.ok(at > 0, 'docs/errors.md has no REST section: run npm run gen:errors-doc');
    const rows = parseCodeTable(doc.slice(at), 'REST code');
    assert.deepEqual(
      rows.map((r) => Number(r['REST code'])),
      REST_ERRORS.map((e) => e.code),
    );
    for (const e of REST_ERRORS) {
      const r = rows.find((x) => Number(x['REST code']) === e.code)!;
      assert.equal(r.Message, e.message);
      assert.equal(r.Level, e.level);
      assert.equal(r['Raised when'], e.trigger);
      assert.equal(r.Retry, `\`${e.retry}\``);
      assert.equal(r['SOAP fault'], String(e.soap ?? '–'));
    }
  });

  test('`mktows errors --rest --json` prints REST_ERRORS; `mktows errors 606 20023` shows both APIs', () => {
    const r = spawnSync(process.execPath, ['packages/server/bin/mktows.js', 'errors', '--rest', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(REST_ERRORS)));
    const both = spawnSync(process.execPath, ['packages/server/bin/mktows.js', 'errors', '606', '20023'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(both.status, 0, both.stderr);
    assert.match(both.stdout, /^20023 +SOAP-ENV:Client +Rate Limit Exceeded/m);
    assert.match(both.stdout, /^606 +Max rate limit '%s' exceeded with in '%s' secs +response +wait-window +20023/m);
    assert.equal(FAULTS.length > 0, true);
  });

  test("messages are Marketo's, as its error-codes page writes them", (t) => {
    const shared = process.env.MKTOWS_SHARED_DIR;
    const path = shared ? join(shared, 'reference', 'rest', 'docs', 'error-codes.md') : undefined;
    if (!path || !existsSync(path)) {
      t.skip('skipped: ../shared absent');
      return;
    }
    const page = readFileSync(path, 'utf8')
      .replace(/&#8216;|&#8217;/g, "'")
      .replace(/`/g, "'");
    const cells = new Map<number, string>();
    for (const m of page.matchAll(/<td><a name="(\d+)"><\/a>\d+\*?<\/td>\s*<td>([^<]*)<\/td>/g)) {
      cells.set(Number(m[1]), m[2].trim());
    }
    for (const e of REST_ERRORS) {
      // 600 is not on the page; its message is the one Marketo's API sends.
      if (e.code === 600) continue;
      const documented = cells.get(e.code);
      assert.ok(documented, `${e.code} is not on Marketo's page`);
      // The page writes 606's template as "Max rate limit `%s`; exceeded with in `%s` secs"; the API drops the ";".
      assert.equal(e.message, e.code === 606 ? documented.replace("';", "'") : documented, `${e.code}`);
    }
  });
});
