/**
 * A small multipart/form-data reader for bulk import uploads. The HTTP layer has already read the
 * body within --max-body (10 MB by default, Marketo's bulk file limit), so this works on one
 * bounded buffer: it finds the parts by their boundary, reads each part's Content-Disposition
 * name (and filename), and never copies more than the parts themselves. Written here rather than
 * taken as a dependency because the server needs only this much of RFC 7578: no nested
 * multiparts, no transfer encodings, no streaming to disk. Malformed input throws
 * MultipartError, and the endpoint answers it before anything is stored.
 */
export class MultipartError extends Error {}

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** At most this many parts: a form of a file and a few fields, not an unbounded list. */
const MAX_PARTS = 32;
/** A part's header block may not exceed this (Content-Disposition and Content-Type lines). */
const MAX_HEADER_BYTES = 8 * 1024;

/** The boundary of a `multipart/form-data; boundary=…` content type (quoted or not). */
export function boundaryOf(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  if (!b) throw new MultipartError('the multipart/form-data Content-Type has no boundary');
  return b;
}

function partHeaders(block: string): { name: string; filename?: string; contentType?: string } {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) throw new MultipartError(`a part header line has no colon: ${JSON.stringify(line.slice(0, 80))}`);
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-disposition') {
      if (!/^form-data\b/i.test(value)) throw new MultipartError('a part is not form-data');
      name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? /\bname=([^;\s]+)/i.exec(value)?.[1];
      filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
    } else if (key === 'content-type') contentType = value;
  }
  if (name === undefined) throw new MultipartError('a part has no Content-Disposition name');
  return { name, ...(filename !== undefined ? { filename } : {}), ...(contentType ? { contentType } : {}) };
}

/** The parts of a multipart/form-data body, in order. */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const boundary = boundaryOf(contentType);
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) throw new MultipartError('the body holds no part delimiter');
  const parts: FormPart[] = [];
  for (;;) {
    at += delimiter.length;
    // `--` after a delimiter closes the body.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a)
      throw new MultipartError('a part delimiter is not followed by CRLF');
    const headerEnd = body.indexOf('\r\n\r\n', at + 2);
    if (headerEnd < 0 || headerEnd - at > MAX_HEADER_BYTES)
      throw new MultipartError('a part has no end to its headers');
    const headers = partHeaders(body.subarray(at + 2, headerEnd).toString('utf8'));
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new MultipartError('the body ends inside a part (no closing delimiter)');
    parts.push({ ...headers, data: body.subarray(headerEnd + 4, next) });
    if (parts.length > MAX_PARTS) throw new MultipartError(`more than ${MAX_PARTS} parts`);
    at = next + 2;
  }
}
