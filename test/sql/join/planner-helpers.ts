// What the join planner tests need around planJoin until the core planner and catalog can run a
// query: sources made from CREATE STREAM/TABLE statements, planned sources for FROM/JOIN items, and a
// small expression compiler (column references, ABS, CAST, +, literals) standing in for the core's.
import type { FormatName } from '../../../src/sql/formats/format.js';
import {
  parseStatements,
  type Expression,
  type Query,
  type Statement,
} from '../../../src/sql/parser/index.js';
import type { DataSource, WindowType } from '../../../src/sql/planner/data-source.js';
import type {
  CompiledExpression,
  ExpressionCompiler,
  ExpressionScope,
} from '../../../src/sql/planner/expression-compiler.js';
import { planJoin, type PlannedJoin } from '../../../src/sql/planner/join.js';
import type { PlannedSource } from '../../../src/sql/planner/plan.js';
import type { Column } from '../../../src/sql/planner/schema.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import { fromAst, SqlTypes, type SqlValue } from '../../../src/sql/types/index.js';

export function sourceOf(statement: Statement): DataSource {
  if (statement.kind !== 'CreateSource') throw new Error(`not a CREATE STREAM/TABLE: ${statement.kind}`);
  const property = (name: string): string | undefined => {
    const found = statement.properties.find((p) => p.name === name)?.value;
    return found === undefined || found.kind !== 'StringLiteral' ? undefined : found.value;
  };
  const columns = statement.columns.map((c): Column & { readonly isKey: boolean } => ({
    name: c.name.value,
    type: fromAst(c.type),
    namespace: c.constraint?.kind === 'Key' || c.constraint?.kind === 'PrimaryKey' ? 'KEY' : 'VALUE',
    isKey: c.constraint?.kind === 'Key' || c.constraint?.kind === 'PrimaryKey',
  }));
  const strip = ({ isKey, ...column }: Column & { readonly isKey: boolean }): Column => (void isKey, column);
  const format = (property('VALUE_FORMAT') ?? property('FORMAT') ?? 'JSON').toUpperCase() as FormatName;
  const windowType = property('WINDOW_TYPE')?.toUpperCase() as WindowType | undefined;
  const windowSize = /^(\d+) (SECOND|MINUTE)S?$/i.exec(property('WINDOW_SIZE') ?? '');
  const sizeMs =
    windowSize === null
      ? undefined
      : Number(windowSize[1]) * (windowSize[2]?.toUpperCase() === 'MINUTE' ? 60_000 : 1000);
  return {
    name: statement.name.value,
    kind: statement.sourceType,
    schema: {
      key: columns.filter((c) => c.isKey).map(strip),
      value: columns.filter((c) => !c.isKey).map(strip),
    },
    topic: property('KAFKA_TOPIC') ?? statement.name.value,
    keyFormat: 'KAFKA',
    valueFormat: format,
    keyOptions: {},
    valueOptions: {},
    ...(windowType === undefined
      ? {}
      : { window: { type: windowType, ...(sizeMs === undefined ? {} : { sizeMs }) } }),
    isSource: false,
    sqlText: statement.text,
  } as DataSource;
}

export function topicSource(source: DataSource, alias = source.name): PlannedSource {
  return {
    schema: source.schema,
    kind: source.kind,
    ...(source.window === undefined ? {} : { window: source.window }),
    input: { kind: 'Topic', source, alias },
    operators: [],
    aliases: new Map([[alias, '']]),
  };
}

/** Runs the statements' CREATEs and plans the joins of the last one (a CSAS/CTAS). */
export function planStatements(statements: readonly string[]): PlannedJoin {
  const parsed = statements.flatMap((s) => parseStatements(s));
  const catalog = new Map<string, DataSource>();
  let query: Query | undefined;
  for (const statement of parsed) {
    if (statement.kind === 'CreateSource') catalog.set(statement.name.value, sourceOf(statement));
    if (statement.kind === 'CreateAsSelect') query = statement.query;
  }
  if (query === undefined) throw new Error('no CREATE ... AS SELECT');
  const planned = (name: string, alias?: string): PlannedSource => {
    const source = catalog.get(name);
    if (source === undefined) throw new Error(`unknown source ${name}`);
    return topicSource(source, alias ?? name);
  };
  let step: PlannedSource = planned(query.from.name.value, query.from.alias?.value);
  for (const join of query.joins) {
    step = planJoin(step, planned(join.right.name.value, join.right.alias?.value), join, testCompiler);
  }
  return step as PlannedJoin;
}

export const testCompiler: ExpressionCompiler = {
  compile(expression: Expression, scope: ExpressionScope): CompiledExpression {
    switch (expression.kind) {
      case 'ColumnRef': {
        const prefixes =
          expression.source === undefined
            ? ['', ...(scope.aliases?.values() ?? [])]
            : [scope.aliases?.get(expression.source.value) ?? ''];
        const all = [...scope.schema.key, ...scope.schema.value];
        const name =
          prefixes.map((p) => `${p}${expression.name.value}`).find((n) => all.some((c) => c.name === n)) ??
          expression.name.value;
        const keyIndex = scope.schema.key.findIndex((c) => c.name === name);
        const valueIndex = scope.schema.value.findIndex((c) => c.name === name);
        const column = scope.schema.key[keyIndex] ?? scope.schema.value[valueIndex];
        if (column === undefined) throw new Error(`test compiler: no column ${name}`);
        return {
          type: column.type,
          evaluate: (r: SqlRecord): SqlValue =>
            keyIndex >= 0 ? (r.key[keyIndex] ?? null) : (r.value?.[valueIndex] ?? null),
        };
      }
      case 'NumberLiteral':
        return { type: SqlTypes.INTEGER, evaluate: () => Number(expression.text) };
      case 'FunctionCall': {
        const [arg] = expression.args.map((a) => this.compile(a, scope));
        if (expression.name.value !== 'ABS' || arg === undefined) throw new Error('test compiler: ABS only');
        return { type: arg.type, evaluate: (r) => abs(arg.evaluate(r)) };
      }
      case 'Cast': {
        const inner = this.compile(expression.value, scope);
        return { type: fromAst(expression.type), evaluate: (r) => inner.evaluate(r) };
      }
      case 'BinaryArithmetic': {
        const [l, r] = [this.compile(expression.left, scope), this.compile(expression.right, scope)];
        return {
          type: l.type,
          evaluate: (rec) => {
            const [a, b] = [l.evaluate(rec), r.evaluate(rec)];
            return typeof a === 'number' && typeof b === 'number' ? a + b : null;
          },
        };
      }
      case 'UnaryArithmetic': {
        const operand = this.compile(expression.operand, scope);
        const sign = expression.operator === '-' ? -1 : 1;
        return {
          type: operand.type,
          evaluate: (r) => {
            const v = operand.evaluate(r);
            return typeof v === 'number' ? sign * v : null;
          },
        };
      }
      default:
        throw new Error(`test compiler: no ${expression.kind}`);
    }
  },
};

function abs(value: SqlValue): SqlValue {
  if (typeof value === 'number') return Math.abs(value);
  if (typeof value === 'bigint') return value < 0n ? -value : value;
  return null;
}
