/**
 * One CSV record (RFC 4180): comma-separated values, a value in double quotes may hold commas,
 * line breaks and doubled quotes (`""`). importToList sends the header and each row as one such
 * record. Unquoted values are taken as they are (spaces kept, a stray quote inside kept).
 */
export class CsvError extends Error {}

export function parseCsvRecord(line: string): string[] {
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
      if (text[i] !== ',') throw new CsvError(`unexpected character after the quoted value ending at character ${i}`);
      i++;
    } else {
      const c = text.indexOf(',', i);
      if (c < 0) {
        out.push(text.slice(i));
        return out;
      }
      out.push(text.slice(i, c));
      i = c + 1;
    }
  }
}
