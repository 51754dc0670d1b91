// SQL types in column definitions, CAST and CREATE TYPE: primitives (with ksqlDB's aliases INT and
// VARCHAR), DECIMAL(p, s), ARRAY<T>, MAP<K, V>, STRUCT<name T, ...>, and names of custom types.
import type { PrimitiveTypeName, SqlType, StructField } from './ast.js';
import type { TokenCursor } from './cursor.js';

const PRIMITIVES: ReadonlyMap<string, PrimitiveTypeName> = new Map([
  ['BOOLEAN', 'BOOLEAN'],
  ['INT', 'INTEGER'],
  ['INTEGER', 'INTEGER'],
  ['BIGINT', 'BIGINT'],
  ['DOUBLE', 'DOUBLE'],
  ['STRING', 'STRING'],
  ['VARCHAR', 'STRING'],
  ['BYTES', 'BYTES'],
  ['DATE', 'DATE'],
  ['TIME', 'TIME'],
  ['TIMESTAMP', 'TIMESTAMP'],
]);

export function parseType(cursor: TokenCursor): SqlType {
  const start = cursor.peek();
  const pos = start.pos;
  if (start.kind === 'word') {
    switch (start.value) {
      case 'ARRAY': {
        cursor.next();
        cursor.expectSymbol('<');
        const element = parseType(cursor);
        cursor.expectSymbol('>');
        return { kind: 'ArrayType', element, pos };
      }
      case 'MAP': {
        cursor.next();
        cursor.expectSymbol('<');
        const key = parseType(cursor);
        cursor.expectSymbol(',');
        const value = parseType(cursor);
        cursor.expectSymbol('>');
        return { kind: 'MapType', key, value, pos };
      }
      case 'STRUCT':
        return parseStruct(cursor);
      case 'DECIMAL': {
        cursor.next();
        cursor.expectSymbol('(');
        const precision = cursor.expectInteger('the precision');
        cursor.expectSymbol(',');
        const scale = cursor.expectInteger('the scale');
        cursor.expectSymbol(')');
        return { kind: 'DecimalType', precision, scale, pos };
      }
    }
  }
  if (!cursor.isIdentifier()) {
    cursor.expect('a type');
    throw cursor.error();
  }
  const name = cursor.expectIdentifier();
  const primitive = name.quoted ? undefined : PRIMITIVES.get(name.value);
  if (cursor.isSymbol('(')) skipTypeParameters(cursor, primitive === 'STRING');
  if (primitive !== undefined) return { kind: 'PrimitiveType', name: primitive, pos };
  return { kind: 'CustomType', name: name.value, pos };
}

function parseStruct(cursor: TokenCursor): SqlType {
  const pos = cursor.next().pos;
  cursor.expectSymbol('<');
  const fields: StructField[] = [];
  if (!cursor.acceptSymbol('>')) {
    do {
      const name = cursor.expectIdentifier();
      fields.push({ name, type: parseType(cursor) });
    } while (cursor.acceptSymbol(','));
    cursor.expectSymbol('>');
  }
  return { kind: 'StructType', fields, pos };
}

/**
 * ksqlDB's grammar lets a type name take parameters (`VARCHAR(100)`), each a number or STRING. Only the
 * SQL habit of sizing strings has a use, and ksqlDB strings are unbounded, so the size is read and dropped;
 * on any other type a parameter is refused.
 */
function skipTypeParameters(cursor: TokenCursor, allowed: boolean): void {
  const open = cursor.next();
  do {
    const token = cursor.peek();
    if (token.kind === 'integer' || (token.kind === 'word' && token.value === 'STRING')) {
      cursor.next();
    } else {
      cursor.expect("'STRING'");
      cursor.expect('an integer');
      throw cursor.error();
    }
  } while (cursor.acceptSymbol(','));
  cursor.expectSymbol(')');
  if (!allowed) {
    throw cursor.errorAt(
      open,
      'this type takes no parameters',
      [],
      'remove the parenthesised list after the type',
    );
  }
}
