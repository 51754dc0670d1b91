// One CSV record, read and written the way ksqlDB's DELIMITED format does through Apache Commons CSV:
// '"' quotes a field, '""' inside quotes is a quote; a field is written quoted when it is an empty first
// field, when it is the first field and does not start with a letter or digit, when it starts with a
// character up to '#', when it holds the delimiter, a quote, CR or LF, or when it ends in a space or less.

export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
}

const QUOTE = 0x22;

/** The fields of one line; a field written as "" and an empty field both read as ''. */
export function parseCsvRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  const delim = delimiter.charCodeAt(0);
  let pos = 0;
  const end = text.length;
  for (;;) {
    if (text.charCodeAt(pos) === QUOTE) {
      let value = '';
      let from = pos + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close < 0) throw new CsvSyntaxError('EOF reached before encapsulated token finished');
        value += text.slice(from, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          from = close + 2;
          continue;
        }
        pos = close + 1;
        break;
      }
      // Commons CSV allows whitespace between the closing quote and the delimiter.
      while (pos < end && text.charCodeAt(pos) !== delim && /\s/.test(text[pos])) pos++;
      if (pos < end && text.charCodeAt(pos) !== delim) {
        throw new CsvSyntaxError(`invalid char between encapsulated token and delimiter at position ${pos}`);
      }
      fields.push(value);
    } else {
      let next = text.indexOf(delimiter, pos);
      if (next < 0) next = end;
      fields.push(text.slice(pos, next));
      pos = next;
    }
    if (pos >= end) return fields;
    pos++; // past the delimiter
  }
}

function isAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function needsQuotes(value: string, first: boolean, delim: number): boolean {
  if (value.length === 0) return first;
  const c = value.charCodeAt(0);
  if (first && !isAlphanumeric(c)) return true;
  if (c <= 0x23) return true;
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i);
    if (d === 0x0a || d === 0x0d || d === QUOTE || d === delim) return true;
  }
  return value.charCodeAt(value.length - 1) <= 0x20;
}

/** One record; null fields are written empty and unquoted, as Commons CSV prints a null. */
export function writeCsvRecord(fields: readonly (string | null)[], delimiter: string): string {
  const delim = delimiter.charCodeAt(0);
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) out += delimiter;
    const value = fields[i];
    if (value === null) continue;
    out += needsQuotes(value, i === 0, delim) ? `"${value.replaceAll('"', '""')}"` : value;
  }
  return out;
}
