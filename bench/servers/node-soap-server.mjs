/**
 * The peer: a node-soap (npm `soap`) server answering getLead from the same SQLite file through
 * better-sqlite3 directly, with the same signature check (HMAC-SHA1 of timestamp + user id, 15-minute
 * window) but no quota, rate or concurrency limits. WSDL: Marketo's 2_6 when given, else ours.
 * Usage: node node-soap-server.mjs DB_PATH WSDL_FILE USER KEY; prints `READY <url>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import soap from 'soap';

const [dbPath, wsdlFile, user, key] = process.argv.slice(2);
const wsdl = readFileSync(wsdlFile, 'utf8');
const serviceName = /<wsdl:service name="([^"]+)"/.exec(wsdl)[1];
const portName = /<wsdl:port name="([^"]+)"/.exec(wsdl)[1];
const path = '/soap/mktows/2_6';

const db = new Database(dbPath, { readonly: true });
const byEmail = db.prepare('SELECT * FROM leads WHERE email_lc = ? ORDER BY id DESC');

function fault(code, message) {
  return {
    Fault: {
      faultcode: 'SOAP-ENV:Client',
      faultstring: `${code} - ${message}`,
      detail: { serviceException: { name: 'mktServiceException', message, code } },
    },
  };
}

function authenticate(headers) {
  const h = headers?.AuthenticationHeader;
  if (!h || h.mktowsUserId !== user) throw fault(20014, 'Authentication failed');
  const expected = Buffer.from(
    createHmac('sha1', key)
      .update(h.requestTimestamp + h.mktowsUserId)
      .digest('hex'),
  );
  const got = Buffer.from(String(h.requestSignature).toLowerCase());
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw fault(20014, 'Authentication failed');
  const age = Date.now() - Date.parse(h.requestTimestamp);
  if (!(Math.abs(age) <= 15 * 60_000)) throw fault(20016, 'Request expired');
}

function toRecord(r) {
  const attrs = JSON.parse(r.attributes);
  const attribute = Object.keys(attrs).map((k) => ({ attrName: k, attrType: 'string', attrValue: attrs[k] }));
  // Nulls are left out: node-soap would write xsi:nil without declaring the xsi prefix.
  const record = { Id: r.id, Email: r.email };
  if (r.foreign_sys_person_id !== null) record.ForeignSysPersonId = r.foreign_sys_person_id;
  if (r.foreign_sys_type !== null) record.ForeignSysType = r.foreign_sys_type;
  record.leadAttributeList = { attribute };
  return record;
}

const service = {
  [serviceName]: {
    [portName]: {
      getLead(args, _callback, headers) {
        authenticate(headers);
        const { keyType, keyValue } = args.leadKey;
        if (keyType !== 'EMAIL') throw fault(20102, 'Invalid lead key');
        const rows = byEmail.all(String(keyValue).trim().toLowerCase());
        if (rows.length === 0) throw fault(20103, 'Lead Not Found');
        return { result: { count: rows.length, leadRecordList: { leadRecord: rows.map(toRecord) } } };
      },
    },
  },
};

const server = createServer({ keepAliveTimeout: 65_000 }, (_req, res) => {
  // soap.listen answers its path; anything else ends here.
  res.statusCode = 404;
  res.end();
});
server.listen(0, '127.0.0.1', () => {
  soap.listen(server, path, service, wsdl, () => {
    process.stdout.write(`READY http://127.0.0.1:${server.address().port}${path}\n`);
  });
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  db.close();
});
