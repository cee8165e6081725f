/**
 * One CSV record (RFC 4180): comma-separated values, a value in double quotes may hold commas,
 * line breaks and doubled quotes (`""`). importToList sends the header and each row as one such
 * record. Unquoted values are taken as they are (spaces kept, a stray quote inside kept).
 */
export class CsvError extends Error {}

/** One record; `delimiter` is `,` for CSV, a tab or `;` for REST bulk import's tsv and ssv files. */
export function parseCsvRecord(line: string, delimiter = ','): string[] {
  const text = line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new CsvError(`unterminated quoted value starting at character ${i + 1}`);
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(value);
      if (i === text.length) return out;
      if (text[i] !== delimiter)
        throw new CsvError(`unexpected character after the quoted value ending at character ${i}`);
      i++;
    } else {
      const c = text.indexOf(delimiter, i);
      if (c < 0) {
        out.push(text.slice(i));
        return out;
      }
      out.push(text.slice(i, c));
      i = c + 1;
    }
  }
}

/**
 * A file's records: split at line breaks outside double quotes (a quoted value may span lines),
 * `\r\n` or `\n`; a last empty line is not a record.
 */
export function splitRecords(text: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      out.push(text.slice(start, i > start && text[i - 1] === '\r' ? i - 1 : i));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Values as one record: quoted when they hold the delimiter, a quote or a line break. */
export function formatRecord(values: readonly string[], delimiter = ','): string {
  return values
    .map((v) => (v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
    .join(delimiter);
}
