/**
 * docs/errors.md, rendered from the error catalogue (FAULTS of @mktows/protocol) so that the page
 * cannot drift from the server: `npm run gen:errors-doc` writes it, a test compares it.
 */
import {
  type FaultCode,
  type FaultDef,
  REST_ERRORS,
  type RestErrorDef,
  type RestRetryAdvice,
  type RetryAdvice,
} from '@mktows/protocol';

/** The order in which the pipeline checks a call; the first that applies wins. */
export const CHECK_ORDER: readonly FaultCode[] = [20012, 20019, 20017, 20014, 20016, 20013, 20015, 20023, 20024];

/** What each retry advice token means, for the docs and `mktows errors`. */
export const RETRY_MEANING: Readonly<Record<RetryAdvice, string>> = {
  backoff: 'retry with exponential backoff and jitter',
  resign: 'sign again with a fresh timestamp, retry at once',
  'wait-window': 'wait until the oldest call in the rate window has left it',
  'wait-slot': 'retry when one of your calls in flight finishes',
  'until-reset': 'stop until the daily quota resets',
  'restart-stream': 'start paging again from the beginning',
  'end-stream': 'stop paging',
  none: 'do not retry',
};

/** What each REST retry advice token means. */
export const REST_RETRY_MEANING: Readonly<Record<RestRetryAdvice, string>> = {
  reauthenticate: 'get a new access token, then retry once',
  backoff: 'retry with exponential backoff and jitter',
  'wait-window': 'wait until the oldest call in the 20 s window has left it',
  'wait-slot': "retry when one of the instance's calls in flight finishes",
  'until-reset': 'stop until the daily quota resets',
  none: 'do not retry as is; fix the request or the data',
};

/** The heading of the REST half of docs/errors.md (tests read the table after it). */
export const REST_HEADING = '## REST API';

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function byCode(faults: readonly FaultDef[], code: number): FaultDef {
  const f = faults.find((x) => x.code === code);
  if (!f) throw new Error(`the check order names ${code}, which is not in the catalogue`);
  return f;
}

export function renderErrorsDoc(
  faults: readonly FaultDef[],
  restErrors: readonly RestErrorDef[] = REST_ERRORS,
): string {
  const serverCodes = faults.filter((f) => f.side === 'Server').map((f) => f.code);
  const order = CHECK_ORDER.map((c) => byCode(faults, c));
  const sideText =
    serverCodes.length === 0
      ? '`SOAP-ENV:Client` for every code'
      : `\`SOAP-ENV:Server\` only for ${serverCodes.join(' and ')}, \`SOAP-ENV:Client\` for every other code`;
  const lines: string[] = [
    '# Errors',
    '',
    '<!-- Generated from the error catalogue (packages/protocol/src/faults.ts) by `npm run gen:errors-doc`; do not edit by hand. -->',
    '',
    'Every failed call ends with the same fault shape: HTTP 500, `Content-Type: text/xml; charset=utf-8`,',
    'a SOAP 1.1 envelope with no Header and a `SOAP-ENV:Fault` in the Body. Its `faultcode` is',
    `${sideText}. The \`faultstring\` is \`<code> - <message>\`, with the Message column below.`,
    'The `detail` holds `serviceException` (namespace `http://www.marketo.com/mktows/`) with `name`',
    '(`mktServiceException`), `message` (the specific reason, naming the offending value and ending in',
    '` (<code>)`; it never echoes an encryption key or signature) and `code`.',
    '',
    '```xml',
    '<SOAP-ENV:Fault>',
    '  <faultcode>SOAP-ENV:Client</faultcode>',
    '  <faultstring>20103 - Lead Not Found</faultstring>',
    '  <detail>',
    '    <ns1:serviceException xmlns:ns1="http://www.marketo.com/mktows/">',
    '      <name>mktServiceException</name>',
    '      <message>No lead found with EMAIL = a@b.example (20103)</message>',
    '      <code>20103</code>',
    '    </ns1:serviceException>',
    '  </detail>',
    '</SOAP-ENV:Fault>',
    '```',
    '',
    '## Check order',
    '',
    'When several faults apply, the first in this order wins:',
    '',
    `${order.map((f) => `${f.code} (${f.message})`).join(' → ')} → the operation's own checks.`,
    '',
    `Calls rejected with ${CHECK_ORDER[0]}–${CHECK_ORDER[CHECK_ORDER.length - 1]} do not count against the daily quota or the`,
    'rate window; every admitted call counts once, whatever its outcome.',
    '',
    '## Codes',
    '',
    "Name is the code's key in `FAULT` (exported by `@mktows/protocol` and `@mktows/client`):",
    '`FAULT.LEAD_NOT_FOUND` is 20103, and a fault made with a code outside this table fails the type-check.',
    '',
    '| Code | Name | faultcode | Message | Raised when | Client advice | Retry |',
    '|---|---|---|---|---|---|---|',
    ...faults.map(
      (f) =>
        `| ${f.code} | \`${f.name}\` | SOAP-ENV:${f.side} | ${cell(f.message)} | ${cell(f.trigger)} | ${cell(f.advice)} | \`${f.retry}\` |`,
    ),
    '',
    '## Retry advice',
    '',
    "The Retry column is the token the client SDK's retry policy switches on:",
    '',
    '| Retry | Meaning |',
    '|---|---|',
    ...[...new Set(faults.map((f) => f.retry))].map((r) => `| \`${r}\` | ${cell(RETRY_MEANING[r])} |`),
    '',
    "The same catalogue drives the server's faults, the client's error classes and `mktows errors`",
    '(`mktows errors --json` prints it as JSON).',
    '',
    ...renderRestSection(restErrors),
  ];
  return lines.join('\n');
}

/** The REST half: Marketo's envelope, what counts against the limits, and the REST codes with the SOAP fault each maps to. */
function renderRestSection(errors: readonly RestErrorDef[]): string[] {
  return [
    REST_HEADING,
    '',
    '<!-- From the REST catalogue (packages/protocol/src/rest-errors.ts). -->',
    '',
    'REST calls (`/rest/v1/…`, `/rest/asset/v1/…`, `/bulk/v1/…`) answer HTTP 200 for every API error, with',
    "Marketo's envelope: `success: false` and one entry in `errors`, whose `code` is a quoted string.",
    'Record-level reasons (level `record`) come inside `result` as `status: "skipped"` with `reasons`.',
    'The identity endpoint answers bad client credentials with HTTP 401',
    '`{"error":"unauthorized","error_description":"Bad client credentials"}`; a body over `--max-body` is',
    'HTTP 413.',
    '',
    '```json',
    '{ "requestId": "e42b#14272d07d78", "success": false, "errors": [{ "code": "601", "message": "Access token invalid" }] }',
    '```',
    '',
    'Checks run in this order: path (610, 605) → body (609, 612) → access token (600, 601, 602) → limits',
    '(607 → 606 → 615, for the whole instance: all REST clients together) → fault rules → the endpoint.',
    'Calls rejected before the limits, and by them, do not count against the quota or the window; the',
    'identity endpoint never counts.',
    '',
    'SOAP fault is the fault the SOAP→REST bridge answers for the REST code.',
    '',
    '| REST code | Message | Level | Raised when | Client advice | Retry | SOAP fault |',
    '|---|---|---|---|---|---|---|',
    ...errors.map(
      (e) =>
        `| ${e.code} | ${cell(e.message)} | ${e.level} | ${cell(e.trigger)} | ${cell(e.advice)} | \`${e.retry}\` | ${e.soap ?? '–'} |`,
    ),
    '',
    '| Retry | Meaning |',
    '|---|---|',
    ...[...new Set(errors.map((e) => e.retry))].map((r) => `| \`${r}\` | ${cell(REST_RETRY_MEANING[r])} |`),
    '',
    '`mktows errors --rest` prints this catalogue (`--rest --json` as JSON).',
    '',
  ];
}

/** One row of the code table of an errors page: every column by its header. */
export type DocRow = Record<string, string>;

/** Splits a Markdown table row into cells, honouring `\|`. */
function splitRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** The rows of the first Markdown table whose header has a `Code` column (or `column`) (used by tests). */
export function parseCodeTable(markdown: string, column = 'Code'): DocRow[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim().startsWith('|') && splitRow(l).includes(column));
  if (start < 0) return [];
  const header = splitRow(lines[start]);
  const rows: DocRow[] = [];
  for (let i = start + 2; i < lines.length && lines[i].trim().startsWith('|'); i++) {
    const cells = splitRow(lines[i]);
    rows.push(Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ''])));
  }
  return rows;
}
