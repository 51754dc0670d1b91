// org.apache.kafka.connect.storage.StringConverter: bytes are text in `converter.encoding` (UTF-8 by
// default) with Connect's optional string schema; written back, any value becomes its text.
import type { Converter, ConverterPlugin } from '../api/converter.js';
import type { ConnectSchema, ConnectValue } from '../api/data.js';
import { ConnectConfigError } from '../api/errors.js';

const OPTIONAL_STRING: ConnectSchema = { type: 'string', optional: true };

/** The encodings Node reads and writes, by the names Java configs give them. */
const ENCODINGS: Readonly<Record<string, BufferEncoding>> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  'utf-16le': 'utf16le',
  utf16le: 'utf16le',
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
  'us-ascii': 'ascii',
  ascii: 'ascii',
};

export function encodingSetting(settings: Readonly<Record<string, string>>): BufferEncoding {
  const wanted = settings['converter.encoding'] ?? 'UTF-8';
  const encoding = ENCODINGS[wanted.toLowerCase()];
  if (!encoding)
    throw new ConnectConfigError(
      'converter.encoding',
      `converter.encoding ${wanted} is not supported: use one of UTF-8, UTF-16LE, ISO-8859-1, US-ASCII`,
    );
  return encoding;
}

/** A value's text as Java's toString would roughly give it; objects and arrays as JSON. */
export function valueText(value: ConnectValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === 'bigint') return inner.toString();
    if (inner instanceof Map) return Object.fromEntries(inner);
    return inner;
  });
}

class StringConverter implements Converter {
  constructor(private readonly encoding: BufferEncoding) {}

  toConnectData(_topic: string, data: Buffer | null) {
    return Promise.resolve({
      schema: OPTIONAL_STRING,
      value: data === null ? null : data.toString(this.encoding),
    });
  }

  fromConnectData(_topic: string, _schema: ConnectSchema | null, value: ConnectValue) {
    return Promise.resolve(value === null ? null : Buffer.from(valueText(value), this.encoding));
  }
}

export const stringConverterPlugin: ConverterPlugin = {
  className: 'org.apache.kafka.connect.storage.StringConverter',
  aliases: ['StringConverter'],
  create: (settings) => new StringConverter(encodingSetting(settings)),
};
