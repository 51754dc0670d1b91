// The KAFKA format: Kafka's own primitive serializers for one column. INT is 4 bytes big-endian, BIGINT and
// DOUBLE 8, STRING UTF-8, BYTES as they are. With no columns (a keyless stream's key) the bytes are ignored.
import type { SqlValue } from '../types/index.js';
import { SerdeError, type RowSerde, type SerdeTarget } from './format.js';
import { sideOf } from './shape.js';
import { validateSerdeTarget } from './support.js';

interface Primitive {
  write(value: SqlValue): Buffer;
  read(bytes: Buffer): SqlValue;
}

function fixedSize(
  name: string,
  size: number,
  read: (bytes: Buffer) => SqlValue,
  write: (value: SqlValue) => Buffer,
): Primitive {
  return {
    write,
    read(bytes) {
      if (bytes.length !== size) {
        throw new Error(`Size of data received by ${name} is not ${size}`);
      }
      return read(bytes);
    },
  };
}

const PRIMITIVES: Readonly<Record<string, Primitive>> = {
  INTEGER: fixedSize(
    'IntegerDeserializer',
    4,
    (bytes) => bytes.readInt32BE(0),
    (value) => {
      const out = Buffer.allocUnsafe(4);
      out.writeInt32BE(value as number, 0);
      return out;
    },
  ),
  BIGINT: fixedSize(
    'LongDeserializer',
    8,
    (bytes) => bytes.readBigInt64BE(0),
    (value) => {
      const out = Buffer.allocUnsafe(8);
      out.writeBigInt64BE(value as bigint, 0);
      return out;
    },
  ),
  DOUBLE: fixedSize(
    'DoubleDeserializer',
    8,
    (bytes) => bytes.readDoubleBE(0),
    (value) => {
      const out = Buffer.allocUnsafe(8);
      out.writeDoubleBE(value as number, 0);
      return out;
    },
  ),
  STRING: {
    write: (value) => Buffer.from(value as string, 'utf8'),
    read: (bytes) => bytes.toString('utf8'),
  },
  BYTES: {
    write: (value) => {
      const bytes = value as Uint8Array;
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    read: (bytes) => new Uint8Array(bytes),
  },
};

export function kafkaSerde(target: SerdeTarget): RowSerde {
  validateSerdeTarget(target);
  if (target.columns.length === 0) {
    return { serialize: () => null, deserialize: (bytes) => (bytes === null ? null : []) };
  }
  const primitive = PRIMITIVES[target.columns[0].type.kind];
  const side = sideOf(target);
  return {
    serialize(values) {
      if (values === null || values[0] === null) return null;
      return primitive.write(values[0]);
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      try {
        return [primitive.read(bytes)];
      } catch (error) {
        throw new SerdeError(
          `Failed to deserialize ${side} from topic: ${target.topic}. ${(error as Error).message}`,
        );
      }
    },
  };
}
