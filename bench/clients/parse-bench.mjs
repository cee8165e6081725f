/**
 * XML parser CPU per document, in process: the getLead response the client reads (about 2 KB) and
 * a syncMultipleLeads request of 300 records (about 400 KB) that the server reads.
 * Usage: node bench/clients/parse-bench.mjs [RESPONSE_FILE]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, envelope, ROOT } from '../lib/common.mjs';
import { batchBody } from '../scenarios/sync.mjs';

const { parseXml } = await import(join(ROOT, 'packages', 'protocol', 'dist', 'src', 'xml', 'parse.js'));

const responseFile = process.argv[2] ?? join(DATA_DIR, 'client-getlead-response.xml');
const response = existsSync(responseFile)
  ? readFileSync(responseFile, 'utf8')
  : envelope('<ns1:successGetLead><result><count>0</count><leadRecordList/></result></ns1:successGetLead>');
const request = batchBody(1, 300);

/** CPU µs per parse over `iterations` parses. */
function cpuPer(doc, iterations) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) parseXml(doc);
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / iterations;
}

for (const [label, doc, iterations] of [
  [`response ${(response.length / 1024).toFixed(1)} KB`, response, 20_000],
  [`request ${(request.length / 1024).toFixed(0)} KB`, request, 100],
]) {
  cpuPer(doc, Math.ceil(iterations / 4)); // warm-up
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) best = Math.min(best, cpuPer(doc, iterations));
  console.log(`${label.padEnd(18)} ${best.toFixed(2)} µs`);
}
