// The runtime SQL type model: what the planner, the functions and the runtime agree on. Unlike the parser's
// `SqlType` nodes these carry no source position, and CREATE TYPE names are already resolved.
import type { SqlType as AstType } from '../parser/ast.js';

export type PrimitiveKind =
  'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING' | 'BYTES' | 'DATE' | 'TIME' | 'TIMESTAMP';

export interface PrimitiveSqlType {
  readonly kind: PrimitiveKind;
}
export interface DecimalSqlType {
  readonly kind: 'DECIMAL';
  readonly precision: number;
  readonly scale: number;
}
export interface ArraySqlType {
  readonly kind: 'ARRAY';
  readonly element: SqlType;
}
export interface MapSqlType {
  readonly kind: 'MAP';
  readonly key: SqlType;
  readonly value: SqlType;
}
export interface StructSqlField {
  readonly name: string;
  readonly type: SqlType;
}
export interface StructSqlType {
  readonly kind: 'STRUCT';
  readonly fields: readonly StructSqlField[];
}

export type SqlType = PrimitiveSqlType | DecimalSqlType | ArraySqlType | MapSqlType | StructSqlType;

const primitive = (kind: PrimitiveKind): PrimitiveSqlType => Object.freeze({ kind });

/** Shared instances of the primitive types; build the others with the functions below. */
export const SqlTypes = {
  BOOLEAN: primitive('BOOLEAN'),
  INTEGER: primitive('INTEGER'),
  BIGINT: primitive('BIGINT'),
  DOUBLE: primitive('DOUBLE'),
  STRING: primitive('STRING'),
  BYTES: primitive('BYTES'),
  DATE: primitive('DATE'),
  TIME: primitive('TIME'),
  TIMESTAMP: primitive('TIMESTAMP'),
  decimal(precision: number, scale: number): DecimalSqlType {
    if (!Number.isInteger(precision) || precision < 1) {
      throw new Error(`DECIMAL precision must be a whole number of at least 1, got ${precision}`);
    }
    if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new Error(`DECIMAL scale must be between 0 and the precision (${precision}), got ${scale}`);
    }
    return { kind: 'DECIMAL', precision, scale };
  },
  array(element: SqlType): ArraySqlType {
    return { kind: 'ARRAY', element };
  },
  map(key: SqlType, value: SqlType): MapSqlType {
    return { kind: 'MAP', key, value };
  },
  struct(fields: readonly StructSqlField[]): StructSqlType {
    return { kind: 'STRUCT', fields };
  },
} as const;

/** Resolves a CREATE TYPE name; `fromAst` throws when it is absent or returns undefined. */
export type CustomTypeResolver = (name: string) => SqlType | undefined;

/** Converts the parser's positioned type to the runtime model. */
export function fromAst(type: AstType, resolveCustom?: CustomTypeResolver): SqlType {
  switch (type.kind) {
    case 'PrimitiveType':
      return SqlTypes[type.name];
    case 'DecimalType':
      return SqlTypes.decimal(type.precision, type.scale);
    case 'ArrayType':
      return SqlTypes.array(fromAst(type.element, resolveCustom));
    case 'MapType':
      return SqlTypes.map(fromAst(type.key, resolveCustom), fromAst(type.value, resolveCustom));
    case 'StructType':
      return SqlTypes.struct(
        type.fields.map((field) => ({ name: field.name.value, type: fromAst(field.type, resolveCustom) })),
      );
    case 'CustomType': {
      const resolved = resolveCustom?.(type.name);
      if (resolved === undefined) {
        throw new Error(
          `line ${type.pos.line}:${type.pos.column}: unknown type ${type.name}; create it first with CREATE TYPE ${type.name} AS ...`,
        );
      }
      return resolved;
    }
  }
}

/** The type as ksqlDB prints it: `INTEGER`, `DECIMAL(4, 2)`, `MAP<STRING, BIGINT>`, "STRUCT<`A` INTEGER>". */
export function formatType(type: SqlType): string {
  switch (type.kind) {
    case 'DECIMAL':
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatType(type.element)}>`;
    case 'MAP':
      return `MAP<${formatType(type.key)}, ${formatType(type.value)}>`;
    case 'STRUCT':
      // ksqlDB prints an empty struct with a space between the brackets.
      if (type.fields.length === 0) return 'STRUCT< >';
      return `STRUCT<${type.fields.map((f) => `\`${f.name}\` ${formatType(f.type)}`).join(', ')}>`;
    default:
      return type.kind;
  }
}

export function typesEqual(a: SqlType, b: SqlType): boolean {
  switch (a.kind) {
    case 'DECIMAL':
      return b.kind === 'DECIMAL' && a.precision === b.precision && a.scale === b.scale;
    case 'ARRAY':
      return b.kind === 'ARRAY' && typesEqual(a.element, b.element);
    case 'MAP':
      return b.kind === 'MAP' && typesEqual(a.key, b.key) && typesEqual(a.value, b.value);
    case 'STRUCT':
      return (
        b.kind === 'STRUCT' &&
        a.fields.length === b.fields.length &&
        a.fields.every((f, i) => f.name === b.fields[i]?.name && typesEqual(f.type, b.fields[i].type))
      );
    default:
      return a.kind === b.kind;
  }
}

/** Whether a MAP appears anywhere in the type: ksqlDB refuses maps in keys, whose serialized order is not stable. */
export function containsMap(type: SqlType): boolean {
  switch (type.kind) {
    case 'MAP':
      return true;
    case 'ARRAY':
      return containsMap(type.element);
    case 'STRUCT':
      return type.fields.some((field) => containsMap(field.type));
    default:
      return false;
  }
}
