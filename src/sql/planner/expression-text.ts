// An expression as ksqlDB prints it in messages and in generated names: `(A + 1)`, `'text'`,
// `SUBSTRING(S, 1, 2)`, `S->F`, `CAST(X AS STRING)`. Binary operations are parenthesised as ksqlDB's
// formatter does, so error messages read the same.
import type { Expression, Identifier, SqlType as AstType } from '../parser/index.js';
import { formatType, fromAst } from '../types/index.js';

const COMPARISON_TEXT: Readonly<Record<string, string>> = {
  '=': '=',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** A name as ksqlDB prints it: bare when it reads back the same unquoted, else in backquotes. */
export function identifierText(name: string): string {
  return /^[A-Z_][A-Z0-9_]*$/.test(name) ? name : `\`${name}\``;
}

function nameText(id: Identifier): string {
  return identifierText(id.value);
}

function typeText(type: AstType): string {
  try {
    return formatType(fromAst(type));
  } catch {
    return type.kind === 'CustomType' ? type.name : type.kind;
  }
}

export function expressionText(expr: Expression): string {
  switch (expr.kind) {
    case 'NullLiteral':
      return 'null';
    case 'BooleanLiteral':
      return String(expr.value);
    case 'NumberLiteral':
      return expr.text;
    case 'StringLiteral':
      return `'${expr.value.replaceAll("'", "''")}'`;
    case 'TypedLiteral':
      return `${expr.typeName} '${expr.value}'`;
    case 'ColumnRef':
      return expr.source === undefined
        ? nameText(expr.name)
        : `${nameText(expr.source)}.${nameText(expr.name)}`;
    case 'Dereference':
      return `${expressionText(expr.base)}->${nameText(expr.field)}`;
    case 'Subscript':
      return `${expressionText(expr.base)}[${expressionText(expr.index)}]`;
    case 'UnaryArithmetic':
      return `${expr.operator}${expressionText(expr.operand)}`;
    case 'BinaryArithmetic':
      return `(${expressionText(expr.left)} ${expr.operator} ${expressionText(expr.right)})`;
    case 'Concatenation':
      return `(${expressionText(expr.left)} || ${expressionText(expr.right)})`;
    case 'Comparison':
      return `(${expressionText(expr.left)} ${COMPARISON_TEXT[expr.operator]} ${expressionText(expr.right)})`;
    case 'LogicalBinary':
      return `(${expressionText(expr.left)} ${expr.operator} ${expressionText(expr.right)})`;
    case 'Not':
      return `(NOT ${expressionText(expr.operand)})`;
    case 'Between':
      return `(${expressionText(expr.value)} ${expr.negated ? 'NOT ' : ''}BETWEEN ${expressionText(expr.lower)} AND ${expressionText(expr.upper)})`;
    case 'InList':
      return `(${expressionText(expr.value)} ${expr.negated ? 'NOT ' : ''}IN (${expr.list.map(expressionText).join(', ')}))`;
    case 'Like': {
      const escape = expr.escape === undefined ? '' : ` ESCAPE '${expr.escape}'`;
      return `(${expressionText(expr.value)} ${expr.negated ? 'NOT ' : ''}LIKE ${expressionText(expr.pattern)}${escape})`;
    }
    case 'IsNull':
      return `(${expressionText(expr.value)} IS ${expr.negated ? 'NOT ' : ''}NULL)`;
    case 'IsDistinctFrom':
      return `(${expressionText(expr.left)} IS ${expr.negated ? 'NOT ' : ''}DISTINCT FROM ${expressionText(expr.right)})`;
    case 'SearchedCase':
    case 'SimpleCase': {
      const operand = expr.kind === 'SimpleCase' ? ` ${expressionText(expr.operand)}` : '';
      const whens = expr.whens.map((w) => ` WHEN ${expressionText(w.when)} THEN ${expressionText(w.then)}`);
      const otherwise = expr.else === undefined ? '' : ` ELSE ${expressionText(expr.else)}`;
      return `(CASE${operand}${whens.join('')}${otherwise} END)`;
    }
    case 'Cast':
      return `CAST(${expressionText(expr.value)} AS ${typeText(expr.type)})`;
    case 'ArrayConstructor':
      return `ARRAY[${expr.elements.map(expressionText).join(', ')}]`;
    case 'MapConstructor':
      return `MAP(${expr.entries.map((e) => `${expressionText(e.key)}:=${expressionText(e.value)}`).join(', ')})`;
    case 'StructConstructor':
      return `STRUCT(${expr.fields.map((f) => `${nameText(f.name)}:=${expressionText(f.value)}`).join(', ')})`;
    case 'FunctionCall':
      return `${expr.name.value}(${expr.star ? '*' : expr.args.map(expressionText).join(', ')})`;
    case 'Lambda': {
      const params = expr.params.map(nameText);
      const head = params.length === 1 ? params[0] : `(${params.join(', ')})`;
      return `${head} => ${expressionText(expr.body)}`;
    }
    case 'IntervalUnitArgument':
      return expr.unit;
    case 'AtTimeZone':
      return `${expressionText(expr.value)} AT TIME ZONE '${expr.zone}'`;
  }
}
