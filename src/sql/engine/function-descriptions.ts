// DESCRIBE FUNCTION: a function's variations as ksqlDB's describe_function entity, the types named as
// ksqlDB's function type names print them (VARCHAR, INT, DECIMAL without precision, a variadic
// parameter as its element type with isVariadic), since clients and the CLI show them as they come.
import type { FunctionOverload, ParamType } from '../functions/index.js';
import type { DescribeFunction } from '../parser/index.js';
import type { SqlType } from '../types/index.js';
import type { StatementContext } from './context.js';
import type { FunctionDescriptionEntity } from './entities.js';
import { StatementError } from './statement-error.js';

type Variation = FunctionDescriptionEntity['functions'][number];

export function executeDescribeFunction(
  statement: DescribeFunction,
  context: StatementContext,
): FunctionDescriptionEntity {
  const name = statement.name.value;
  const { functions, tableFunctions, aggregates } = context.engine;
  const base = {
    '@type': 'describe_function' as const,
    statementText: statement.text,
    warnings: [],
    author: 'Confluent',
    version: '',
    path: 'internal',
  };
  const aggregate = aggregates.describe(name);
  if (aggregate !== undefined) {
    return {
      ...base,
      name: aggregate.name,
      description: aggregate.description,
      type: 'AGGREGATE',
      functions: aggregate.signatures.map((signature) => {
        const args = signature.args.trim() === '' ? [] : signature.args.split(/,\s*/);
        const parsed = args.map((arg) => {
          const space = arg.lastIndexOf(' ');
          return space < 0
            ? { name: '', type: arg }
            : { name: arg.slice(space + 1), type: arg.slice(0, space) };
        });
        return variation(
          parsed.map((a) => ({ ...a, isVariadic: false })),
          signature.returns,
          signature.description,
        );
      }),
    };
  }
  const table = tableFunctions.get(name);
  const fn = table ?? functions.get(name);
  if (fn === undefined) throw new StatementError(`Can't find any functions with the name '${name}'`);
  return {
    ...base,
    name: fn.name,
    description: fn.description,
    type: table === undefined ? 'SCALAR' : 'TABLE',
    functions: fn.overloads.map((overload) =>
      variation(
        overload.params.map((p, i) => ({
          name: p.name,
          type: paramTypeName(p.type),
          isVariadic: overload.variadic === true && i === overload.params.length - 1,
        })),
        returnTypeName(overload),
        fn.description,
      ),
    ),
  };
}

function variation(
  args: readonly { name: string; type: string; isVariadic: boolean }[],
  returnType: string,
  description: string,
): Variation {
  return {
    arguments: args.map((a) => ({ name: a.name, type: a.type, description: '', isVariadic: a.isVariadic })),
    returnType,
    description,
    // ksqlDB still sends argumentTypes, the arguments' types, for clients of its v5.0 API.
    argumentTypes: args.map((a) => a.type),
  };
}

/** A fixed return type; one computed from concrete parameter types if it can be; else ANY. */
function returnTypeName(overload: FunctionOverload): string {
  if (typeof overload.returns !== 'function') return paramTypeName(overload.returns);
  const concrete = overload.params.map((p) => p.type).filter(isSqlType);
  if (concrete.length === overload.params.length) {
    try {
      return paramTypeName(overload.returns(concrete));
    } catch {
      // Falls through to the generic name.
    }
  }
  return 'ANY';
}

/** A parameter or return type as ksqlDB's function types print themselves. */
export function paramTypeName(type: ParamType): string {
  switch (type.kind) {
    case 'STRING':
      return 'VARCHAR';
    case 'INTEGER':
      return 'INT';
    case 'DECIMAL':
    case 'ANY_DECIMAL':
      return 'DECIMAL';
    case 'ARRAY':
    case 'ARRAY_OF':
      return `ARRAY<${paramTypeName(type.element)}>`;
    case 'MAP':
    case 'MAP_OF':
      return `MAP<${paramTypeName(type.key)}, ${paramTypeName(type.value)}>`;
    case 'STRUCT':
      return `STRUCT<${type.fields.map((field) => `${field.name} ${paramTypeName(field.type)}`).join(', ')}>`;
    case 'GENERIC':
      return type.name;
    case 'INTERVAL_UNIT':
      return 'INTERVAL UNIT';
    case 'LAMBDA':
      return `LAMBDA (${type.params.map(paramTypeName).join(', ')}) => ${paramTypeName(type.returns)}`;
    default:
      return type.kind;
  }
}

const SQL_TYPE_KINDS = new Set([
  'BOOLEAN',
  'INTEGER',
  'BIGINT',
  'DOUBLE',
  'STRING',
  'BYTES',
  'DATE',
  'TIME',
  'TIMESTAMP',
  'DECIMAL',
  'ARRAY',
  'MAP',
  'STRUCT',
]);

function isSqlType(type: ParamType): type is SqlType {
  return SQL_TYPE_KINDS.has(type.kind);
}
