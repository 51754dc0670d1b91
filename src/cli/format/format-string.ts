// The one format-string language of `venice consume` (rendering) and `venice produce` (parsing):
//   %t topic  %p partition  %o offset  %k key  %v value  %T timestamp (ms)  %h headers (k=v,k=v)
//   %%  a percent sign;  \n \t \\  newline, tab, backslash.
import type { ConsumedRecord, RecordHeader } from '../../client/index.js';

export type FormatField = 't' | 'p' | 'o' | 'k' | 'v' | 'T' | 'h';
export type FormatToken = { field: FormatField } | { literal: string };

const FIELDS = new Set<string>(['t', 'p', 'o', 'k', 'v', 'T', 'h']);
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };

export class FormatError extends Error {}

export function parseFormat(format: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  let literal = '';
  for (let index = 0; index < format.length; index++) {
    const char = format[index];
    const next = format[index + 1];
    if (char === '%') {
      if (next === '%') literal += '%';
      else if (next !== undefined && FIELDS.has(next)) {
        if (literal) tokens.push({ literal });
        literal = '';
        tokens.push({ field: next as FormatField });
      } else
        throw new FormatError(`unknown format directive %${next ?? ''} (use %t %p %o %k %v %T %h or %%)`);
      index++;
    } else if (char === '\\' && next !== undefined && ESCAPES[next] !== undefined) {
      literal += ESCAPES[next];
      index++;
    } else literal += char;
  }
  if (literal) tokens.push({ literal });
  return tokens;
}

export function formatRecord(tokens: readonly FormatToken[], record: ConsumedRecord): string {
  return tokens
    .map((token) => {
      if ('literal' in token) return token.literal;
      switch (token.field) {
        case 't':
          return record.topic;
        case 'p':
          return String(record.partition);
        case 'o':
          return String(record.offset);
        case 'T':
          return String(record.timestamp);
        case 'k':
          return record.key?.toString() ?? '';
        case 'v':
          return record.value?.toString() ?? '';
        case 'h':
          return record.headers.map((header) => `${header.key}=${header.value?.toString() ?? ''}`).join(',');
      }
    })
    .join('');
}

/** The parts of a record a produce format string can carry. */
export interface ParsedRecord {
  key?: string;
  value?: string;
  partition?: number;
  timestamp?: bigint;
  headers?: RecordHeader[];
  topic?: string;
}

/**
 * Reads one input record (one line, without its newline) laid out by `tokens`. Each field runs up to
 * the literal that follows it; the last field takes the rest of the line.
 */
export function parseRecord(tokens: readonly FormatToken[], line: string): ParsedRecord {
  const record: ParsedRecord = {};
  let position = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if ('literal' in token) {
      if (!line.startsWith(token.literal, position))
        throw new FormatError(`expected ${JSON.stringify(token.literal)} at column ${position + 1}`);
      position += token.literal.length;
      continue;
    }
    const following = tokens[index + 1];
    let end = line.length;
    if (following && 'literal' in following) {
      end = line.indexOf(following.literal, position);
      if (end < 0)
        throw new FormatError(`expected ${JSON.stringify(following.literal)} after column ${position + 1}`);
    }
    assignField(record, token.field, line.slice(position, end));
    position = end;
  }
  return record;
}

function assignField(record: ParsedRecord, field: FormatField, text: string): void {
  switch (field) {
    case 'k':
      record.key = text;
      return;
    case 'v':
      record.value = text;
      return;
    case 't':
      record.topic = text;
      return;
    case 'p':
      if (!/^\d+$/.test(text))
        throw new FormatError(`partition must be a number, got ${JSON.stringify(text)}`);
      record.partition = Number(text);
      return;
    case 'T':
      if (!/^\d+$/.test(text))
        throw new FormatError(`timestamp must be milliseconds, got ${JSON.stringify(text)}`);
      record.timestamp = BigInt(text);
      return;
    case 'o':
      return; // The broker assigns offsets; an offset in the input is ignored.
    case 'h':
      record.headers = text
        .split(',')
        .filter((pair) => pair.length > 0)
        .map((pair) => parseHeader(pair));
      return;
  }
}

/** "key=value" as a record header. */
export function parseHeader(pair: string): RecordHeader {
  const separator = pair.indexOf('=');
  if (separator <= 0) throw new FormatError(`a header is key=value, got ${JSON.stringify(pair)}`);
  return { key: pair.slice(0, separator), value: Buffer.from(pair.slice(separator + 1)) };
}

/** A record as one JSON object, for --json output: text where it is text, numbers for positions. */
export function recordToJson(record: ConsumedRecord): Record<string, unknown> {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    key: record.key?.toString() ?? null,
    value: record.value?.toString() ?? null,
    headers: record.headers.map((header) => ({ key: header.key, value: header.value?.toString() ?? null })),
  };
}
