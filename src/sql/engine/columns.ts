// The column list of CREATE STREAM/TABLE and ALTER ... ADD COLUMN turned into schema columns, with
// ksqlDB's checks: reserved names, duplicates, KEY for streams and PRIMARY KEY for tables, header types.
import type { ColumnDefinition, SourceType } from '../parser/index.js';
import { PSEUDO_COLUMNS, WINDOW_BOUNDS_COLUMNS, type Column } from '../planner/schema.js';
import {
  formatType,
  fromAst,
  SqlTypes,
  typesEqual,
  type CustomTypeResolver,
  type SqlType,
} from '../types/index.js';

export class ColumnDefinitionError extends Error {
  override readonly name = 'ColumnDefinitionError';
}

const RESERVED = new Set<string>([...PSEUDO_COLUMNS, ...WINDOW_BOUNDS_COLUMNS]);

/** ARRAY<STRUCT<KEY STRING, VALUE BYTES>>: the type a HEADERS column must have. */
export const HEADERS_TYPE: SqlType = SqlTypes.array(
  SqlTypes.struct([
    { name: 'KEY', type: SqlTypes.STRING },
    { name: 'VALUE', type: SqlTypes.BYTES },
  ]),
);

export function buildColumns(
  definitions: readonly ColumnDefinition[],
  sourceType: SourceType,
  resolveType: CustomTypeResolver,
): Column[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const columns = definitions.map((definition) => {
    const name = definition.name.value;
    if (RESERVED.has(name.toUpperCase()) && !definition.name.quoted) {
      throw new ColumnDefinitionError(
        `'${name}' is a reserved column name. You cannot use it as a name for a column.`,
      );
    }
    if (seen.has(name)) duplicates.push(`\`${name}\``);
    seen.add(name);
    return buildColumn(definition, sourceType, resolveType);
  });
  if (duplicates.length > 0)
    throw new ColumnDefinitionError(`Duplicate column names: ${duplicates.join(', ')}`);
  if (columns.filter((c) => c.header !== undefined && c.header.key === undefined).length > 1) {
    throw new ColumnDefinitionError('Schema already contains a HEADERS column.');
  }
  return columns;
}

function buildColumn(
  definition: ColumnDefinition,
  sourceType: SourceType,
  resolveType: CustomTypeResolver,
): Column {
  const name = definition.name.value;
  const type = fromAst(definition.type, resolveType);
  const constraint = definition.constraint;
  const at = `Line: ${definition.pos.line}, Col: ${definition.pos.column}: `;
  switch (constraint?.kind) {
    case undefined:
      return { name, type, namespace: 'VALUE' };
    case 'Key':
      if (sourceType === 'TABLE') {
        throw new ColumnDefinitionError(
          `${at}Column \`${name}\` is a 'KEY' column: please use 'PRIMARY KEY' for tables.\n` +
            'Tables have PRIMARY KEYs, which are unique and NON NULL.\n' +
            'Streams have KEYs, which have no uniqueness or NON NULL constraints.',
        );
      }
      return { name, type, namespace: 'KEY' };
    case 'PrimaryKey':
      if (sourceType === 'STREAM') {
        throw new ColumnDefinitionError(
          `${at}Column \`${name}\` is a 'PRIMARY KEY' column: please use 'KEY' for streams.\n` +
            'Tables have PRIMARY KEYs, which are unique and NON NULL.\n' +
            'Streams have KEYs, which have no uniqueness or NON NULL constraints.',
        );
      }
      return { name, type, namespace: 'KEY' };
    case 'Headers':
      if (!typesEqual(type, HEADERS_TYPE)) {
        throw new ColumnDefinitionError(
          `Invalid type for HEADERS column: expected ${formatType(HEADERS_TYPE)}, got ${formatType(type)}`,
        );
      }
      return { name, type, namespace: 'VALUE', header: {} };
    case 'Header':
      if (type.kind !== 'BYTES') {
        throw new ColumnDefinitionError(
          `Invalid type for HEADER('${constraint.key}') column: expected BYTES, got ${formatType(type)}`,
        );
      }
      return { name, type, namespace: 'VALUE', header: { key: constraint.key } };
  }
}

/** A column as ksqlDB prints it in schemas and messages: `` `ID` INTEGER KEY ``. */
export function describeColumn(column: Column): string {
  const suffix =
    column.namespace === 'KEY'
      ? ' KEY'
      : column.header === undefined
        ? ''
        : column.header.key === undefined
          ? ' HEADERS'
          : ` HEADER('${column.header.key}')`;
  return `\`${column.name}\` ${formatType(column.type)}${suffix}`;
}
