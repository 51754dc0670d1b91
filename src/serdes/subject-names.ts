import { isJsonObject } from './json-text.js';
import { internalsOf } from './parse.js';
import { protobufMessageName } from './codecs.js';
import type { ParsedSchema } from './types.js';

export type SubjectNameStrategy = 'TopicNameStrategy' | 'RecordNameStrategy' | 'TopicRecordNameStrategy';

export const SUBJECT_NAME_STRATEGIES: readonly SubjectNameStrategy[] = [
  'TopicNameStrategy',
  'RecordNameStrategy',
  'TopicRecordNameStrategy',
];

/**
 * The fully-qualified record name a schema describes: the Avro named type's full name, the
 * Protobuf message's full name (first message unless given), or a JSON Schema's `title`.
 */
export function recordNameOf(schema: ParsedSchema, messageName?: string): string {
  const detail = internalsOf(schema);
  if (detail.schemaType === 'AVRO') {
    const name = detail.type.name;
    if (!name) throw new Error('RecordNameStrategy needs a named Avro type (record, enum or fixed)');
    return name;
  }
  if (detail.schemaType === 'PROTOBUF') return protobufMessageName(schema, messageName);
  const title = isJsonObject(detail.json) ? detail.json.title : undefined;
  if (typeof title !== 'string' || title === '')
    throw new Error('RecordNameStrategy needs a JSON schema with a "title"');
  return title;
}

/** Confluent's subject name strategies: `<topic>-key|value`, `<record fqn>`, `<topic>-<record fqn>`. */
export function subjectName(
  strategy: SubjectNameStrategy,
  topic: string,
  isKey: boolean,
  recordName?: () => string,
): string {
  switch (strategy) {
    case 'TopicNameStrategy':
      return `${topic}-${isKey ? 'key' : 'value'}`;
    case 'RecordNameStrategy':
      if (!recordName) throw new Error('RecordNameStrategy needs a schema');
      return recordName();
    case 'TopicRecordNameStrategy':
      if (!recordName) throw new Error('TopicRecordNameStrategy needs a schema');
      return `${topic}-${recordName()}`;
    default:
      throw new Error(`unknown subject name strategy '${String(strategy)}'`);
  }
}
