// How the console shows a key, a value or a header: records written in the Confluent wire format
// (magic byte 0, schema id) are decoded through the registry (Avro, JSON Schema, Protobuf); anything
// else is shown as JSON when it parses, as text when it is valid UTF-8, and as hex otherwise. A record
// that cannot be decoded is shown as it is, with the reason, never dropped.
import type { ConsumedRecord } from '../client/index.js';
import type { Serdes } from '../serdes/index.js';
import { toJsonSafe } from './json.js';

export type Encoding = 'null' | 'avro' | 'json-schema' | 'protobuf' | 'json' | 'text' | 'hex';

export interface DecodedField {
  encoding: Encoding;
  /** The decoded value: a JSON value for the schema formats and json, a string for text and hex. */
  value: unknown;
  sizeBytes: number;
  /** The registry schema id it was written with. */
  schemaId?: number;
  /** Why a wire-format payload could not be decoded through the registry. */
  decodeError?: string;
}

export interface DecodedHeader {
  key: string;
  value: DecodedField;
}

export interface DecodedRecord {
  partition: number;
  offset: bigint;
  timestamp: bigint;
  key: DecodedField;
  value: DecodedField;
  headers: DecodedHeader[];
}

const SCHEMA_ENCODINGS = { AVRO: 'avro', JSON: 'json-schema', PROTOBUF: 'protobuf' } as const;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function looksRegistryFramed(bytes: Buffer): boolean {
  return bytes.length >= 5 && bytes[0] === 0;
}

/** JSON, text or hex: what bytes are without a schema. */
export function decodePlain(bytes: Buffer | null): DecodedField {
  if (bytes === null) return { encoding: 'null', value: null, sizeBytes: 0 };
  const sizeBytes = bytes.length;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { encoding: 'hex', value: bytes.toString('hex'), sizeBytes };
  }
  // Control characters other than whitespace mean binary data that happens to be valid UTF-8.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text))
    return { encoding: 'hex', value: bytes.toString('hex'), sizeBytes };
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { encoding: 'json', value: JSON.parse(trimmed) as unknown, sizeBytes };
    } catch {
      // not JSON after all: text
    }
  }
  return { encoding: 'text', value: text, sizeBytes };
}

export class RecordDecoder {
  constructor(private readonly serdes: Serdes | null) {}

  async field(bytes: Buffer | null): Promise<DecodedField> {
    if (bytes === null || this.serdes === null || !looksRegistryFramed(bytes)) return decodePlain(bytes);
    try {
      const decoded = await this.serdes.decode(bytes);
      return {
        encoding: SCHEMA_ENCODINGS[decoded.schemaType],
        value: toJsonSafe(decoded.value),
        sizeBytes: bytes.length,
        schemaId: decoded.schemaId,
      };
    } catch (error) {
      return { ...decodePlain(bytes), decodeError: (error as Error).message };
    }
  }

  async record(record: ConsumedRecord): Promise<DecodedRecord> {
    const [key, value] = await Promise.all([this.field(record.key), this.field(record.value)]);
    return {
      partition: record.partition,
      offset: record.offset,
      timestamp: record.timestamp,
      key,
      value,
      headers: record.headers.map((header) => ({ key: header.key, value: decodePlain(header.value) })),
    };
  }
}
