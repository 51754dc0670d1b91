// PROTOBUF_NOSR: Protobuf without the schema registry. The bytes are the bare message (no magic byte, no
// schema id, no message indexes), written and read with the schema PROTOBUF would register for the
// columns (message ConnectDefault1, or *_SCHEMA_FULL_NAME), built here instead of fetched.
import { parseProtobufSchema } from '../../../serdes/protobuf/schema.js';
import type { ResolvedReference } from '../../../serdes/types.js';
import { SerdeError, type RowSerde, type SerdeTarget } from '../format.js';
import { sideOf } from '../shape.js';
import {
  DEFAULT_PROTOBUF_MESSAGE,
  PROTOBUF_DEPENDENCIES,
  protobufSchemaFor,
  rowFromProto,
  rowToProto,
} from './protobuf.js';

const TO_OBJECT = { enums: String, longs: String, defaults: true };

export function protobufNosrSerde(target: SerdeTarget): RowSerde {
  if (target.columns.length === 0) {
    return { serialize: () => null, deserialize: (bytes) => (bytes === null ? null : []) };
  }
  const messageName = target.options.schemaFullName ?? DEFAULT_PROTOBUF_MESSAGE;
  const proto = protobufSchemaFor(target.columns, messageName);
  const references: ResolvedReference[] = proto.dependencies.map((file) => ({
    name: file,
    schemaType: 'PROTOBUF',
    schema: PROTOBUF_DEPENDENCIES[file],
    references: [],
  }));
  const message = parseProtobufSchema(proto.schema, references).root.lookupType(messageName);
  const toObject = rowToProto(target.columns, message);
  const toRow = rowFromProto(target.columns, message);
  const side = sideOf(target);
  const fail = (action: 'serialize' | 'deserialize', error: unknown) =>
    new SerdeError(
      `Failed to ${action} ${side} ${action === 'serialize' ? 'to' : 'from'} topic: ${target.topic}. ${(error as Error).message}`,
      { cause: error },
    );
  return {
    serialize(values) {
      if (values === null) return null;
      try {
        const object = toObject(values) as Record<string, unknown>;
        return Buffer.from(message.encode(message.fromObject(object)).finish());
      } catch (error) {
        throw fail('serialize', error);
      }
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      try {
        return toRow(message.toObject(message.decode(bytes), TO_OBJECT));
      } catch (error) {
        throw fail('deserialize', error);
      }
    },
  };
}
