// /inserts-stream's rows (JSON objects, column name → value) as INSERT VALUES' column list and literal
// expressions, so both go through the runtime's one insertValues path.
import type { Expression, SourcePosition } from '../parser/index.js';
import type { DataSource } from '../planner/data-source.js';
import type { SqlType } from '../types/index.js';
import { JsonNumberText } from '../../serdes/exact-json.js';
import { StatementError } from './statement-error.js';

const AT: SourcePosition = { line: 1, column: 1, offset: 0 };

export function rowToValues(
  source: DataSource,
  row: Readonly<Record<string, unknown>>,
): { columns: string[]; values: Expression[] } {
  const all = [...source.schema.key, ...source.schema.value];
  const columns: string[] = [];
  const values: Expression[] = [];
  for (const [name, value] of Object.entries(row)) {
    const column = all.find((c) => c.name === name) ?? all.find((c) => c.name === name.toUpperCase());
    if (column === undefined) throw new StatementError(`Column name ${name} does not exist.`);
    columns.push(column.name);
    values.push(literal(value, column.type));
  }
  return { columns, values };
}

function literal(value: unknown, type: SqlType | undefined): Expression {
  if (value === null || value === undefined) return { kind: 'NullLiteral', pos: AT };
  if (typeof value === 'boolean') return { kind: 'BooleanLiteral', value, pos: AT };
  if (typeof value === 'string') return { kind: 'StringLiteral', value, pos: AT };
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof JsonNumberText)
    return numberLiteral(value, type);
  if (Array.isArray(value)) {
    const element = type?.kind === 'ARRAY' ? type.element : undefined;
    return { kind: 'ArrayConstructor', elements: value.map((v) => literal(v, element)), pos: AT };
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (type?.kind === 'STRUCT') {
      return {
        kind: 'StructConstructor',
        fields: entries.map(([name, v]) => {
          const field =
            type.fields.find((f) => f.name === name) ??
            type.fields.find((f) => f.name === name.toUpperCase());
          return {
            name: { kind: 'Identifier', value: field?.name ?? name, quoted: true, pos: AT },
            value: literal(v, field?.type),
          };
        }),
        pos: AT,
      };
    }
    const valueType = type?.kind === 'MAP' ? type.value : undefined;
    return {
      kind: 'MapConstructor',
      entries: entries.map(([k, v]) => ({
        key: { kind: 'StringLiteral', value: k, pos: AT },
        value: literal(v, valueType),
      })),
      pos: AT,
    };
  }
  throw new StatementError(`Cannot insert a value of type ${typeof value}`);
}

function numberLiteral(value: number | bigint | JsonNumberText, type: SqlType | undefined): Expression {
  // A JsonNumberText is a number read by /inserts-stream's exact reader: its text is the literal, so a
  // BIGINT past 2^53 or a DECIMAL's digits arrive as they were sent.
  const signed = value instanceof JsonNumberText ? value.text : String(value);
  const negative = signed.startsWith('-');
  const text = negative ? signed.slice(1) : signed;
  const integral =
    value instanceof JsonNumberText ? value.integral : typeof value === 'bigint' || Number.isInteger(value);
  const kind =
    type?.kind === 'DOUBLE'
      ? 'DOUBLE'
      : type?.kind === 'DECIMAL'
        ? 'DECIMAL'
        : integral
          ? Number(text) > 2147483647 || type?.kind === 'BIGINT'
            ? 'BIGINT'
            : 'INTEGER'
          : 'DOUBLE';
  const number: Expression = { kind: 'NumberLiteral', type: kind, text, pos: AT };
  return negative ? { kind: 'UnaryArithmetic', operator: '-', operand: number, pos: AT } : number;
}
