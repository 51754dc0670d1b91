// Conversions between BYTES and text or numbers: TO_BYTES, FROM_BYTES, ENCODE, and INT/BIGINT/DOUBLE_FROM_BYTES.
// The encodings are ksqlDB's: hex, utf8, ascii, base64 (any case).
import { SqlTypes, type SqlValue } from '../types/index.js';
import type { FunctionOverload, SqlFunction } from './registry.js';

const { STRING, BYTES, INTEGER, BIGINT, DOUBLE } = SqlTypes;
const ENCODINGS = ['hex', 'utf8', 'ascii', 'base64'] as const;
type Encoding = (typeof ENCODINGS)[number];

function encodingOf(name: SqlValue | undefined): Encoding {
  const lower = String(name).toLowerCase();
  const found = ENCODINGS.find((e) => e === lower);
  if (found === undefined) {
    throw new Error(`Supported encodings are: hex, utf8, ascii and base64, not '${String(name)}'`);
  }
  return found;
}

/** Text to bytes in an encoding; hex with an odd number of digits or bad digits is an error, as in Java. */
export function textToBytes(text: string, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case 'hex':
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new Error(`'${text}' is not hexadecimal`);
      return new Uint8Array(Buffer.from(text, 'hex'));
    case 'base64':
      return new Uint8Array(Buffer.from(text, 'base64'));
    case 'ascii':
      // Java's US-ASCII encoder writes '?' for what it cannot encode.
      return Uint8Array.from([...text].map((c) => (c.charCodeAt(0) < 128 ? c.charCodeAt(0) : 0x3f)));
    case 'utf8':
      return new Uint8Array(Buffer.from(text, 'utf8'));
  }
}

export function bytesToText(bytes: Uint8Array, encoding: Encoding): string {
  const buffer = Buffer.from(bytes);
  switch (encoding) {
    case 'hex':
      return buffer.toString('hex').toUpperCase();
    case 'base64':
      return buffer.toString('base64');
    case 'ascii':
      return [...bytes].map((b) => (b < 128 ? String.fromCharCode(b) : '\uFFFD')).join('');
    case 'utf8':
      return buffer.toString('utf8');
  }
}

/** A number read from exactly `size` bytes, big-endian unless told otherwise. */
function numberFromBytes(
  name: string,
  returns: typeof INTEGER | typeof BIGINT | typeof DOUBLE,
  size: number,
  read: (view: DataView, littleEndian: boolean) => SqlValue,
): SqlFunction {
  const invoke = ([b, order]: readonly SqlValue[]): SqlValue => {
    const bytes = b as Uint8Array;
    if (bytes.length !== size) {
      throw new Error(`Number of bytes must be equal to ${size}, but found ${bytes.length}`);
    }
    const byteOrder = order === undefined ? 'BIG_ENDIAN' : String(order).toUpperCase();
    if (byteOrder !== 'BIG_ENDIAN' && byteOrder !== 'LITTLE_ENDIAN') {
      throw new Error(`Byte order must be BIG_ENDIAN or LITTLE_ENDIAN, not ${String(order)}`);
    }
    return read(new DataView(bytes.buffer, bytes.byteOffset, size), byteOrder === 'LITTLE_ENDIAN');
  };
  const overloads: FunctionOverload[] = [
    { params: [{ name: 'bytes', type: BYTES }], returns, invoke },
    {
      params: [
        { name: 'bytes', type: BYTES },
        { name: 'byteOrder', type: STRING },
      ],
      returns,
      invoke,
    },
  ];
  return {
    name,
    category: 'CONVERSIONS',
    description: `The ${returns.kind} in ${size} bytes, BIG_ENDIAN (default) or LITTLE_ENDIAN.`,
    overloads,
  };
}

export const bytesConversionFunctions: readonly SqlFunction[] = [
  {
    name: 'TO_BYTES',
    category: 'STRING',
    description: 'The text as BYTES in an encoding: hex, utf8, ascii or base64.',
    overloads: [
      {
        params: [
          { name: 'str', type: STRING },
          { name: 'encoding', type: STRING },
        ],
        returns: BYTES,
        invoke: ([s, e]) => textToBytes(s as string, encodingOf(e)),
      },
    ],
  },
  {
    name: 'FROM_BYTES',
    category: 'STRING',
    description: 'The BYTES as text in an encoding: hex, utf8, ascii or base64.',
    overloads: [
      {
        params: [
          { name: 'bytes', type: BYTES },
          { name: 'encoding', type: STRING },
        ],
        returns: STRING,
        invoke: ([b, e]) => bytesToText(b as Uint8Array, encodingOf(e)),
      },
    ],
  },
  {
    name: 'ENCODE',
    category: 'STRING',
    description: 'Text re-encoded from one encoding to another (hex, utf8, ascii, base64); NULL for others.',
    overloads: [
      {
        params: [
          { name: 'str', type: STRING },
          { name: 'inputEncoding', type: STRING },
          { name: 'outputEncoding', type: STRING },
        ],
        returns: STRING,
        invoke: ([s, from, to]) => {
          const known = (e: SqlValue | undefined): boolean =>
            ENCODINGS.some((x) => x === String(e).toLowerCase());
          if (!known(from) || !known(to)) return null;
          return bytesToText(textToBytes(s as string, encodingOf(from)), encodingOf(to));
        },
      },
    ],
  },
  numberFromBytes('INT_FROM_BYTES', INTEGER, 4, (view, little) => view.getInt32(0, little)),
  numberFromBytes('BIGINT_FROM_BYTES', BIGINT, 8, (view, little) => view.getBigInt64(0, little)),
  numberFromBytes('DOUBLE_FROM_BYTES', DOUBLE, 8, (view, little) => view.getFloat64(0, little)),
];
