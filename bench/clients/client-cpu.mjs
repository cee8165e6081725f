/**
 * CPU per call of one SOAP client, in a process of its own: `mktows` (@mktows/client) or
 * `node-soap` (npm `soap`, signing each call as its users do), making sequential getLead calls.
 * Transport `http`: real calls to ENDPOINT (the HTTP stack's and the kernel's time included).
 * Transport `canned`: each client's own transport hook (fetch for @mktows/client, httpClient for
 * node-soap) answers with RESPONSE_FILE at once, so only the library's work is left: sign,
 * serialize, parse, decode and its bookkeeping.
 * Prints one JSON line: { calls, cpuUsPerCall, wallUsPerCall }.
 * Usage: node client-cpu.mjs KIND TRANSPORT ENDPOINT USER KEY EMAIL CALLS WSDL RESPONSE_FILE
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [kind, transport, endpoint, user, key, email, callsArg, wsdl, responseFile] = process.argv.slice(2);
const calls = Number(callsArg);
// The library figure is a steady state: 5000 calls first (both clients alike) let V8's optimizing
// compiler finish, which otherwise lands in a short measured window (--quick).
const warmup = transport === 'canned' ? 5000 : Math.min(1000, Math.ceil(calls / 4));
const canned = transport === 'canned' ? readFileSync(responseFile, 'utf8') : undefined;

function w3cNow() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

async function makeCall() {
  if (kind === 'mktows') {
    const { MktowsClient } = await import('@mktows/client');
    const options = { endpoint, userId: user, encryptionKey: key, limits: false };
    if (canned !== undefined) {
      const res = { status: 200, headers: { get: () => null }, text: async () => canned };
      options.fetch = async () => res;
    }
    const client = new MktowsClient(options);
    return async () => {
      const r = await client.getLead({ leadKey: { keyType: 'EMAIL', keyValue: email } });
      if (r.leadRecordList.leadRecord[0].Email !== email) throw new Error('wrong lead');
    };
  }
  const soap = (await import('soap')).default;
  const options = {};
  if (canned !== undefined) {
    options.httpClient = {
      request(_url, _data, callback) {
        const res = { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, data: canned };
        Promise.resolve().then(() => callback(null, res, canned));
      },
    };
  }
  const client = await soap.createClientAsync(wsdl, options);
  client.setEndpoint(endpoint);
  return async () => {
    const requestTimestamp = w3cNow();
    const requestSignature = createHmac('sha1', key)
      .update(requestTimestamp + user)
      .digest('hex');
    client.clearSoapHeaders();
    client.addSoapHeader(
      { AuthenticationHeader: { mktowsUserId: user, requestSignature, requestTimestamp } },
      '',
      'ns1',
      'http://www.marketo.com/mktows/',
    );
    const [r] = await client.getLeadAsync({ leadKey: { keyType: 'EMAIL', keyValue: email } });
    const rec = r.result.leadRecordList.leadRecord;
    if ((Array.isArray(rec) ? rec[0] : rec).Email !== email) throw new Error('wrong lead');
  };
}

const call = await makeCall();
for (let i = 0; i < warmup; i++) await call();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < calls; i++) await call();
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ calls, cpuUsPerCall: (cpu.user + cpu.system) / calls, wallUsPerCall: (wall * 1000) / calls })}\n`,
);
