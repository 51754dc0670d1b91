// The records of the `_schemas` topic, in the JSON key/value layout Confluent's Schema Registry
// writes, so tools that read the topic see familiar records. Keys are written with their fields
// always in the same order: compaction keeps the last record per exact key bytes.
import type { CompatibilityLevel, SchemaReference, SchemaType } from '../../serdes/index.js';

export type RegistryMode = 'READWRITE' | 'READONLY' | 'READONLY_OVERRIDE' | 'IMPORT';

export interface SchemaValue {
  subject: string;
  version: number;
  id: number;
  schemaType: SchemaType;
  references: SchemaReference[];
  schema: string;
  deleted: boolean;
}

/** One decoded record; a null value (a tombstone) removes what the key names. */
export type LogRecord =
  | { kind: 'schema'; subject: string; version: number; value: SchemaValue | null }
  | { kind: 'config'; subject: string | null; value: { compatibilityLevel: CompatibilityLevel } | null }
  | { kind: 'mode'; subject: string | null; value: { mode: RegistryMode } | null }
  | { kind: 'delete-subject'; subject: string; value: { subject: string; version: number } | null }
  | { kind: 'clear-subject'; subject: string; value: { subject: string } | null }
  | { kind: 'noop' }
  /** A key type this registry does not know (contexts, newer Confluent features): skipped. */
  | { kind: 'unknown'; keytype: string };

export interface EncodedRecord {
  key: Buffer;
  value: Buffer | null;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

export function schemaRecord(subject: string, version: number, value: SchemaValue | null): EncodedRecord {
  const body =
    value === null
      ? null
      : json({
          subject: value.subject,
          version: value.version,
          id: value.id,
          // Confluent leaves schemaType and references out for Avro and for none.
          ...(value.schemaType === 'AVRO' ? {} : { schemaType: value.schemaType }),
          ...(value.references.length > 0 ? { references: value.references } : {}),
          schema: value.schema,
          deleted: value.deleted,
        });
  return { key: json({ keytype: 'SCHEMA', subject, version, magic: 1 }), value: body };
}

export function configRecord(subject: string | null, level: CompatibilityLevel | null): EncodedRecord {
  return {
    key: json({ keytype: 'CONFIG', subject, magic: 0 }),
    value: level === null ? null : json({ compatibilityLevel: level }),
  };
}

export function modeRecord(subject: string | null, mode: RegistryMode | null): EncodedRecord {
  return {
    key: json({ keytype: 'MODE', subject, magic: 0 }),
    value: mode === null ? null : json({ mode }),
  };
}

export function deleteSubjectRecord(subject: string, version: number): EncodedRecord {
  return {
    key: json({ keytype: 'DELETE_SUBJECT', subject, magic: 0 }),
    value: json({ subject, version }),
  };
}

export function clearSubjectRecord(subject: string): EncodedRecord {
  return { key: json({ keytype: 'CLEAR_SUBJECT', subject, magic: 0 }), value: json({ subject }) };
}

/** A marker the reader waits for to know it has read everything written before it (a tombstone). */
export function noopRecord(): EncodedRecord {
  return { key: json({ keytype: 'NOOP', magic: 0 }), value: null };
}

/** Decodes one record of the topic; throws on keys that are not JSON objects. */
export function decodeRecord(key: Buffer | null, value: Buffer | null): LogRecord {
  if (!key) return { kind: 'unknown', keytype: '' };
  const parsedKey = asObject(JSON.parse(key.toString('utf8')));
  const body = value && value.length > 0 ? asObject(JSON.parse(value.toString('utf8'))) : null;
  const keytype = String(parsedKey.keytype ?? '');
  const subject = typeof parsedKey.subject === 'string' ? parsedKey.subject : null;
  switch (keytype) {
    case 'SCHEMA': {
      const version = Number(parsedKey.version);
      if (subject === null || !Number.isInteger(version)) return { kind: 'unknown', keytype };
      return { kind: 'schema', subject, version, value: body && schemaValue(body, subject, version) };
    }
    case 'CONFIG': {
      const level = body?.compatibilityLevel ?? body?.compatibility;
      return {
        kind: 'config',
        subject,
        value: typeof level === 'string' ? { compatibilityLevel: level as CompatibilityLevel } : null,
      };
    }
    case 'MODE':
      return {
        kind: 'mode',
        subject,
        value: typeof body?.mode === 'string' ? { mode: body.mode as RegistryMode } : null,
      };
    case 'DELETE_SUBJECT':
      if (subject === null) return { kind: 'unknown', keytype };
      return {
        kind: 'delete-subject',
        subject,
        value: body ? { subject, version: Number(body.version) } : null,
      };
    case 'CLEAR_SUBJECT':
      if (subject === null) return { kind: 'unknown', keytype };
      return { kind: 'clear-subject', subject, value: body ? { subject } : null };
    case 'NOOP':
      return { kind: 'noop' };
    default:
      return { kind: 'unknown', keytype };
  }
}

function schemaValue(body: Record<string, unknown>, subject: string, version: number): SchemaValue {
  const references = Array.isArray(body.references) ? body.references.map(asObject) : [];
  return {
    subject,
    version,
    id: Number(body.id),
    schemaType: (typeof body.schemaType === 'string' ? body.schemaType : 'AVRO') as SchemaType,
    references: references.map((reference) => ({
      name: String(reference.name),
      subject: String(reference.subject),
      version: Number(reference.version),
    })),
    schema: String(body.schema ?? ''),
    deleted: body.deleted === true,
  };
}

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('expected a JSON object');
  return value as Record<string, unknown>;
}
