// Join conditions printed as ksqlDB prints them in its messages: columns qualified by their source
// (`T.ID`, even when written `id`), comparisons and arithmetic in parentheses (`(T.ID = 0)`).
import type { Expression } from '../parser/index.js';
import { formatType, fromAst } from '../types/index.js';

/** Gives the source alias a column belongs to, for unqualified columns; undefined leaves it bare. */
export type ColumnQualifier = (column: string) => string | undefined;

export function formatJoinExpression(expression: Expression, qualify: ColumnQualifier): string {
  const f = (e: Expression): string => formatJoinExpression(e, qualify);
  switch (expression.kind) {
    case 'NullLiteral':
      return 'null';
    case 'BooleanLiteral':
      return String(expression.value);
    case 'NumberLiteral':
      return expression.text;
    case 'StringLiteral':
      return `'${expression.value.replaceAll("'", "''")}'`;
    case 'TypedLiteral':
      return `${expression.typeName} '${expression.value}'`;
    case 'ColumnRef': {
      const source = expression.source?.value ?? qualify(expression.name.value);
      return source === undefined ? expression.name.value : `${source}.${expression.name.value}`;
    }
    case 'Dereference':
      return `${f(expression.base)}->${expression.field.value}`;
    case 'Subscript':
      return `${f(expression.base)}[${f(expression.index)}]`;
    case 'UnaryArithmetic':
      return `${expression.operator}${f(expression.operand)}`;
    case 'BinaryArithmetic':
    case 'Comparison':
      return `(${f(expression.left)} ${expression.operator} ${f(expression.right)})`;
    case 'Concatenation':
      return `(${f(expression.left)} || ${f(expression.right)})`;
    case 'LogicalBinary':
      return `(${f(expression.left)} ${expression.operator} ${f(expression.right)})`;
    case 'Not':
      return `(NOT ${f(expression.operand)})`;
    case 'IsNull':
      return `(${f(expression.value)} IS ${expression.negated ? 'NOT ' : ''}NULL)`;
    case 'Cast':
      return `CAST(${f(expression.value)} AS ${castType(expression)})`;
    case 'FunctionCall':
      return `${expression.name.value}(${expression.star ? '*' : expression.args.map(f).join(', ')})`;
    default:
      return expression.kind;
  }
}

function castType(expression: Extract<Expression, { kind: 'Cast' }>): string {
  try {
    return formatType(fromAst(expression.type));
  } catch {
    return expression.type.kind === 'CustomType' ? expression.type.name : expression.type.kind;
  }
}
