/**
 * The ceiling: a bare node:http server that reads the request body and answers every POST with
 * one fixed getLead response (the bytes mktows sent for the same call). No parsing, no lookup.
 * Usage: node bare-server.mjs RESPONSE_FILE; prints `READY <url>`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.argv[2]);
const headers = { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': String(body.length) };

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY http://127.0.0.1:${server.address().port}/soap/mktows/2_6\n`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
