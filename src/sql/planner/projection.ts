// The SELECT list over a planned source: `*`, `alias.*` and `struct->*` expanded, each item compiled and
// named as ksqlDB names it (its alias; a column's or struct field's name; else KSQL_COL_n), and matched to
// the input's key columns. For a persistent query the key checks are ksqlDB's: every key column selected
// exactly once, and at least one value column.
import type { ColumnRef, Expression, Identifier, Query, SelectItem } from '../parser/index.js';
import { formatType, SqlTypes, type SqlType } from '../types/index.js';
import { compileIn } from './clause-errors.js';
import { isPseudoColumn, resolveColumn } from './columns.js';
import { SqlAnalysisError, unknownQualifierError } from './errors.js';
import type { CompiledExpression, ExpressionCompiler } from './expression-compiler.js';
import { expressionText, identifierText } from './expression-text.js';
import { scopeOf, type ColumnPosition, type KeyBinding, type PlannedSource } from './plan.js';
import type { Column, LogicalSchema } from './schema.js';
import { SYNTHETIC_COLUMN_PREFIX } from './table-functions.js';

export interface ProjectedColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly expression: Expression;
  readonly compiled: CompiledExpression;
  /** The input key column this item selects, if it selects one. */
  readonly keyIndex?: number;
}

export interface Projection {
  readonly schema: LogicalSchema;
  /** Evaluators for the output key and value columns, in schema order. */
  readonly key: readonly CompiledExpression[];
  readonly value: readonly CompiledExpression[];
  /** The SELECT's order, for transient queries' rows. */
  readonly order: readonly ColumnPosition[];
}

const identifier = (value: string, pos: Expression['pos']): Identifier => ({
  kind: 'Identifier',
  value,
  quoted: true,
  pos,
});

const columnRef = (name: string, pos: Expression['pos']): ColumnRef => ({
  kind: 'ColumnRef',
  name: identifier(name, pos),
  pos,
});

const WINDOW_BOUNDS: readonly Column[] = [
  { name: 'WINDOWSTART', type: SqlTypes.BIGINT, namespace: 'KEY' },
  { name: 'WINDOWEND', type: SqlTypes.BIGINT, namespace: 'KEY' },
];

/**
 * The input's columns `*` (or `alias.*`) stands for: key columns, then value columns not named like a key.
 * A transient query over a windowed key also gets WINDOWSTART and WINDOWEND after the key, as ksqlDB's
 * pull and push queries do.
 */
function starColumns(input: PlannedSource, source: Identifier | undefined, windowBounds: boolean): Column[] {
  const keyNames = new Set(input.schema.key.map((c) => c.name));
  const bounds = windowBounds && input.window !== undefined ? WINDOW_BOUNDS : [];
  const values = starValues(input).filter(
    (c) => !keyNames.has(c.name) && !c.name.startsWith(SYNTHETIC_COLUMN_PREFIX),
  );
  let columns = [...input.schema.key, ...bounds, ...values];
  if (source !== undefined) {
    const prefix = input.aliases.get(source.value);
    if (prefix === undefined) {
      throw unknownQualifierError(source.value);
    }
    if (prefix !== '') columns = columns.filter((c) => c.name.startsWith(prefix) || bounds.includes(c));
  }
  return columns;
}

/** The value columns `*` takes: all but a join's side pseudo-columns, or those of starOrder in its order. */
function starValues(input: PlannedSource): readonly Column[] {
  if (input.starOrder === undefined) return input.schema.value.filter((c) => c.sidePseudo !== true);
  const byName = new Map(input.schema.value.map((c) => [c.name, c]));
  return input.starOrder.flatMap((name) => byName.get(name) ?? []);
}

interface Item {
  readonly expression: Expression;
  readonly alias?: string;
}

function expandItems(
  items: readonly SelectItem[],
  input: PlannedSource,
  compiler: ExpressionCompiler,
  windowBounds: boolean,
): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'SelectAll':
        for (const column of starColumns(input, item.source, windowBounds)) {
          out.push({ expression: columnRef(column.name, item.pos) });
        }
        break;
      case 'SelectStructAll': {
        const base = compileIn('SELECT', compiler, item.base, scopeOf(input));
        if (base.type?.kind !== 'STRUCT') {
          throw new SqlAnalysisError(
            `${expressionText(item.base)} is not a STRUCT: it has no fields to select with ->*.`,
            item.pos,
          );
        }
        for (const field of base.type.fields) {
          out.push({
            expression: {
              kind: 'Dereference',
              base: item.base,
              field: identifier(field.name, item.pos),
              pos: item.pos,
            },
            alias: field.name,
          });
        }
        break;
      }
      case 'SelectExpression':
        out.push(
          item.alias === undefined
            ? { expression: item.expression }
            : { expression: item.expression, alias: item.alias.value },
        );
        break;
    }
  }
  return out;
}

/**
 * The name ksqlDB gives an unaliased item, or undefined when it generates KSQL_COL_n. In a join, a
 * qualified column keeps its bare name unless another source has a column of that name (`L.ID` is L_ID
 * when R has an ID too); system columns always carry the source's prefix.
 */
function naturalName(
  expression: Expression,
  input: PlannedSource,
  common: ReadonlySet<string>,
): string | undefined {
  // A table function's output column stands for the call, which ksqlDB names KSQL_COL_n.
  if (expression.kind === 'ColumnRef' && expression.name.value.startsWith(SYNTHETIC_COLUMN_PREFIX)) {
    return undefined;
  }
  if (expression.kind === 'ColumnRef') {
    if (expression.source === undefined) return expression.name.value;
    const prefix = input.aliases.get(expression.source.value) ?? '';
    const bare = expression.name.value;
    if (prefix === '' || (!common.has(bare) && !isPseudoColumn(bare))) return bare;
    return prefix + bare;
  }
  if (expression.kind === 'Dereference') return expression.field.value;
  return undefined;
}

/** Whether the input is a join: its sources' columns carry their prefixes. */
function isJoin(input: PlannedSource): boolean {
  return [...input.aliases.values()].some((prefix) => prefix !== '');
}

/** Column names (without prefix) that more than one of a join's sources has. */
function commonColumnNames(input: PlannedSource): Set<string> {
  const prefixes = [...new Set(input.aliases.values())].filter((p) => p !== '');
  if (prefixes.length < 2) return new Set();
  const owners = new Map<string, Set<string>>();
  for (const column of [...input.schema.key, ...input.schema.value]) {
    // The longest prefix that fits is the column's source (aliases may share a beginning).
    let owner: string | undefined;
    for (const prefix of prefixes) {
      if (column.name.startsWith(prefix) && (owner === undefined || prefix.length > owner.length))
        owner = prefix;
    }
    if (owner === undefined) continue;
    const bare = column.name.slice(owner.length);
    const set = owners.get(bare) ?? new Set<string>();
    set.add(owner);
    owners.set(bare, set);
  }
  return new Set([...owners].filter(([, sources]) => sources.size > 1).map(([name]) => name));
}

/** The key column an item selects: a reference to it, or an expression text its binding accepts. */
function keyIndexOf(
  expression: Expression,
  input: PlannedSource,
  bindings: readonly KeyBinding[],
): number | undefined {
  if (expression.kind === 'ColumnRef') {
    try {
      const resolved = resolveColumn(scopeOf(input), expression);
      const index = input.schema.key.findIndex((c) => c === resolved.column);
      if (index >= 0) return index;
    } catch {
      // Not a column of the input: the compiler reports it.
    }
  }
  const text = expressionText(expression);
  const index = bindings.findIndex((b) => b.texts.includes(text));
  return index >= 0 ? index : undefined;
}

export function defaultKeyBindings(input: PlannedSource): KeyBinding[] {
  return input.schema.key.map((c) => {
    const name = identifierText(c.name);
    return { what: 'key column', texts: [name], display: name, example: name };
  });
}

export interface ProjectionOptions {
  /** Set for CSAS/CTAS/INSERT INTO: the sink's name, and ksqlDB's checks of keys and names apply. */
  readonly persistentSink?: string;
  /** ksql.new.query.planner.enabled: a stream's key may be left out of the projection (no key then). */
  readonly keyMayBeLeftOut?: boolean;
  /** The sink's TIMESTAMP column, which the projection must name. */
  readonly timestampColumn?: string;
  /** Key columns in the input's key order (after PARTITION BY) rather than the SELECT's. */
  readonly keyOrderFromInput?: boolean;
}

export function planProjection(
  query: Query,
  input: PlannedSource,
  compiler: ExpressionCompiler,
  options: ProjectionOptions,
): Projection {
  const persistent = options.persistentSink !== undefined;
  const items = expandItems(query.select, input, compiler, !persistent);
  const bindings = input.keyBindings ?? defaultKeyBindings(input);
  const taken = new Set<string>([...input.schema.key, ...input.schema.value].map((c) => c.name));
  for (const item of items) if (item.alias !== undefined) taken.add(item.alias);
  const join = isJoin(input);
  const common = join ? commonColumnNames(input) : new Set<string>();
  let generated = 0;
  const nextGenerated = (): string => {
    let name = `KSQL_COL_${generated++}`;
    while (taken.has(name)) name = `KSQL_COL_${generated++}`;
    return name;
  };

  const columns: ProjectedColumn[] = items.map((item) => {
    const compiled = compileIn('SELECT', compiler, item.expression, scopeOf(input));
    if (compiled.type === null) {
      throw new SqlAnalysisError(
        "Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).",
        item.expression.pos,
      );
    }
    const keyIndex = keyIndexOf(item.expression, input, bindings);
    // A key item is named after the key column it selects (PARTITION BY ABS(ID) makes KSQL_COL_0).
    const keyName = keyIndex === undefined ? undefined : input.schema.key[keyIndex]?.name;
    const natural = naturalName(item.expression, input, common);
    // After a join a key item is named as the item (L.ID is ID or L_ID), not as the joined key column.
    const name =
      item.alias ?? (join && natural !== undefined ? natural : (keyName ?? natural)) ?? nextGenerated();
    if (persistent && keyIndex === undefined && isPseudoColumn(name)) {
      throw new SqlAnalysisError(
        item.alias === undefined
          ? `Reserved column name in select: \`${name}\`. Please remove or alias the column.`
          : `\`${name}\` is a reserved column name. You cannot use it as an alias for a column.`,
        item.expression.pos,
      );
    }
    return {
      name,
      type: compiled.type,
      expression: item.expression,
      compiled,
      ...(keyIndex === undefined ? {} : { keyIndex }),
    };
  });

  const timestampColumn = options.timestampColumn;
  if (timestampColumn !== undefined && !columns.some((c) => c.name === timestampColumn)) {
    throw new SqlAnalysisError(
      `The TIMESTAMP column set in the WITH clause does not exist in the schema: '${timestampColumn}'`,
    );
  }
  if (options.persistentSink !== undefined) {
    const keyNames = input.schema.key.map((c) => c.name);
    checkKeys(columns, bindings, keyNames, options.persistentSink, options.keyMayBeLeftOut === true);
  }

  // Key columns: each input key column once (the first item selecting it); the rest are values.
  const keyItems: ProjectedColumn[] = [];
  const seen = new Set<number>();
  for (const column of columns) {
    if (column.keyIndex === undefined || seen.has(column.keyIndex)) continue;
    seen.add(column.keyIndex);
    keyItems.push(column);
  }
  if (options.keyOrderFromInput === true) keyItems.sort((a, b) => (a.keyIndex ?? 0) - (b.keyIndex ?? 0));
  const valueItems = columns.filter((c) => !keyItems.includes(c));
  if (persistent && valueItems.length === 0)
    throw new SqlAnalysisError('The projection contains no value columns.');
  if (persistent) checkDuplicateNames(keyItems, valueItems);

  const order: ColumnPosition[] = columns.map((c) => {
    const k = keyItems.indexOf(c);
    if (k >= 0) return { namespace: 'KEY', index: k };
    const bound = input.window === undefined ? undefined : windowBoundOf(c.expression);
    return {
      namespace: 'VALUE',
      index: valueItems.indexOf(c),
      ...(bound === undefined ? {} : { windowBound: bound }),
    };
  });
  return {
    schema: {
      key: keyItems.map((c) => ({ name: c.name, type: c.type, namespace: 'KEY' })),
      value: valueItems.map((c) => ({ name: c.name, type: c.type, namespace: 'VALUE' })),
    },
    // A key item reads the input's key column: after PARTITION BY the expression's own columns may be
    // NULL (a tombstone's value) while the key is known.
    key: keyItems.map((c) => keyReader(c, input)),
    value: valueItems.map((c) => c.compiled),
    order,
  };
}

/** Which window bound a bare WINDOWSTART or WINDOWEND item reads: a deleted row still shows it. */
function windowBoundOf(expression: Expression): 'start' | 'end' | undefined {
  if (expression.kind !== 'ColumnRef') return undefined;
  const name = expression.name.value.toUpperCase();
  return name === 'WINDOWSTART' ? 'start' : name === 'WINDOWEND' ? 'end' : undefined;
}

function keyReader(column: ProjectedColumn, input: PlannedSource): CompiledExpression {
  const index = column.keyIndex ?? -1;
  const type = input.schema.key[index]?.type ?? column.type;
  return { type, evaluate: (record) => record.key[index] ?? null };
}

function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A foreign-key join's result must include every primary key column of its left table. */
function checkForeignKeyColumns(columns: readonly ProjectedColumn[], bindings: readonly KeyBinding[]): void {
  const missing = bindings.filter(
    (b, i) => b.foreignKey !== undefined && !columns.some((c) => c.keyIndex === i),
  );
  const table = missing[0]?.foreignKey?.table;
  if (table === undefined) return;
  const noun = missing.length === 1 ? 'column' : 'columns';
  throw new SqlAnalysisError(
    `Primary key ${noun} missing in projection. For foreign-key table-table joins, the projection must ` +
      `include all primary key columns from the left input table (\`${table}\`). ` +
      `Missing ${noun}: ${missing.map((b) => `\`${b.foreignKey?.column ?? ''}\``).join(', ')}.`,
  );
}

function checkKeys(
  columns: readonly ProjectedColumn[],
  bindings: readonly KeyBinding[],
  keyNames: readonly string[],
  sink: string,
  allowMissing: boolean,
): void {
  checkForeignKeyColumns(columns, bindings);
  // ksqlDB names every key column once one is missing.
  const missing = bindings.some((_, i) => !columns.some((c) => c.keyIndex === i)) ? bindings : [];
  if (missing.length > 0 && !allowMissing) {
    const what = missing[0]?.what ?? 'key column';
    const plural = missing.length > 1 || missing[0]?.alternatives === true ? 's' : '';
    throw new SqlAnalysisError(
      `The query used to build \`${sink}\` must include the ${what}${plural} ${listText(missing.map((b) => b.display))} ` +
        `in its projection (eg, SELECT ${missing.map((b) => b.example).join(', ')}...).`,
    );
  }
  bindings.forEach((binding, i) => {
    const selecting = columns.filter((c) => c.keyIndex === i);
    if (selecting.length > 1) {
      throw new SqlAnalysisError(
        `The projection contains a key column (\`${keyNames[i] ?? binding.display}\`) more than once, aliased as: ${listText(selecting.map((c) => c.name))}.`,
      );
    }
  });
}

function checkDuplicateNames(keys: readonly ProjectedColumn[], values: readonly ProjectedColumn[]): void {
  const seen = new Map<string, ProjectedColumn>();
  for (const column of [...keys, ...values]) {
    const before = seen.get(column.name);
    if (before !== undefined) {
      throw new SqlAnalysisError(
        `Duplicate column names in the projection: \`${column.name}\` (${formatType(before.type)} and ${formatType(column.type)}). Give one of them another name with AS.`,
        column.expression.pos,
      );
    }
    seen.set(column.name, column);
  }
}
