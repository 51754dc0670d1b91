// Name resolution for expressions: a column reference (`COL`, `A.COL`) to its place in the record
// (key or value, index) and type; pseudo-columns to the record's own fields.
import type { ColumnRef } from '../parser/index.js';
import type { SqlRecord } from '../runtime/records.js';
import { SqlTypes, type SqlType, type SqlValue } from '../types/index.js';
import { SqlAnalysisError, unknownQualifierError } from './errors.js';
import type { ExpressionScope } from './expression-compiler.js';
import { expressionText } from './expression-text.js';
import type { Column } from './schema.js';

export interface ResolvedColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly read: (record: SqlRecord) => SqlValue;
  /** The schema column, absent for pseudo-columns. */
  readonly column?: Column;
}

/** A column that is not in scope; the planner words the message for its clause (SELECT, WHERE...). */
export class UnresolvedColumnError extends SqlAnalysisError {
  constructor(
    readonly columnText: string,
    ref: ColumnRef,
  ) {
    super(`Column '${columnText}' cannot be resolved.`, ref.pos);
  }
}

const PSEUDO: ReadonlyMap<string, { type: SqlType; read: (r: SqlRecord) => SqlValue; windowed?: boolean }> =
  new Map([
    ['ROWTIME', { type: SqlTypes.BIGINT, read: (r: SqlRecord) => BigInt(r.timestamp) }],
    ['ROWPARTITION', { type: SqlTypes.INTEGER, read: (r: SqlRecord) => r.partition }],
    ['ROWOFFSET', { type: SqlTypes.BIGINT, read: (r: SqlRecord) => BigInt(r.offset) }],
    [
      'WINDOWSTART',
      {
        type: SqlTypes.BIGINT,
        read: (r: SqlRecord) => (r.window === undefined ? null : BigInt(r.window.start)),
        windowed: true,
      },
    ],
    [
      'WINDOWEND',
      {
        type: SqlTypes.BIGINT,
        read: (r: SqlRecord) => (r.window === undefined ? null : BigInt(r.window.end)),
        windowed: true,
      },
    ],
  ]);

export function isPseudoColumn(name: string): boolean {
  return PSEUDO.has(name);
}

function reader(column: Column, index: number): (r: SqlRecord) => SqlValue {
  if (column.namespace === 'KEY') return (r) => r.key[index] ?? null;
  return (r) => (r.value === null ? null : (r.value[index] ?? null));
}

const indexes = new WeakMap<object, Map<string, ResolvedColumn>>();

function columnIndex(scope: ExpressionScope): Map<string, ResolvedColumn> {
  let index = indexes.get(scope.schema);
  if (index === undefined) {
    index = new Map();
    const add = (columns: readonly Column[]): void => {
      columns.forEach((column, i) => {
        if (!index?.has(column.name))
          index?.set(column.name, { name: column.name, type: column.type, read: reader(column, i), column });
      });
    };
    add(scope.schema.key);
    add(scope.schema.value);
    indexes.set(scope.schema, index);
  }
  return index;
}

/** Every column named `name` (unqualified) across the aliases of a join, with their qualified names. */
function candidates(scope: ExpressionScope, name: string): { alias: string; column: ResolvedColumn }[] {
  const index = columnIndex(scope);
  const found: { alias: string; column: ResolvedColumn }[] = [];
  for (const [alias, prefix] of scope.aliases ?? []) {
    if (prefix === '') continue;
    const column = index.get(prefix + name);
    // Unqualified, ROWTIME is the joined record's own, not either side's.
    if (column !== undefined && column.column?.sidePseudo !== true) found.push({ alias, column });
  }
  return found;
}

export function resolveColumn(scope: ExpressionScope, ref: ColumnRef): ResolvedColumn {
  const index = columnIndex(scope);
  const name = ref.name.value;
  if (ref.source !== undefined) {
    const alias = ref.source.value;
    const prefix = scope.aliases?.get(alias);
    if (prefix === undefined && (scope.aliases?.size ?? 0) > 0) {
      throw unknownQualifierError(alias);
    }
    const column = index.get((prefix ?? '') + name) ?? pseudo(scope, name);
    if (column === undefined) throw new UnresolvedColumnError(expressionText(ref), ref);
    return column;
  }
  const direct = index.get(name);
  if (direct !== undefined) return direct;
  const joined = candidates(scope, name);
  if (joined.length === 1 && joined[0] !== undefined) return joined[0].column;
  if (joined.length > 1) {
    const options = joined.map((c) => `${c.alias}.${name}`);
    throw new SqlAnalysisError(
      `Column '${name}' is ambiguous. Could be ${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}.`,
      ref.pos,
    );
  }
  const pseudoColumn = pseudo(scope, name);
  if (pseudoColumn !== undefined) return pseudoColumn;
  throw new UnresolvedColumnError(expressionText(ref), ref);
}

function pseudo(scope: ExpressionScope, name: string): ResolvedColumn | undefined {
  const found = PSEUDO.get(name);
  if (found === undefined || (found.windowed === true && !scope.windowed)) return undefined;
  return { name, type: found.type, read: found.read };
}
