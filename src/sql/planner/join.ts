// planJoin: one JOIN clause of a query, given the planned left side (a source, or the joins so far)
// and the planned right side (a source). It checks the join as ksqlDB does (which kinds and types may
// join, the ON clause, WITHIN, windowing), works out the joined schema and key, rekeys a side whose key
// is not the join key and marks its repartition (a persistent query sends it through ksqlDB's
// `Join-left/right-repartition` topic), and returns a Merge step whose combining operator is the
// stream-stream, stream-table or table-table join.
//
// What the rest of the planner reads off the result besides the PlannedSource fields: joinKeyOf(step)
// gives the key columns the projection may use as the result's key, for ksqlDB's "must include the
// join expression" check and for choosing the output key's name.
import type { Duration, Join, JoinType } from '../parser/index.js';
import {
  foreignKeyJoin,
  joinSideOperator,
  streamStreamJoin,
  streamTableJoin,
  tableTableJoin,
  type JoinedRowLayout,
} from '../runtime/join/index.js';
import { joinRepartition, repartitionMarker } from '../runtime/operators/repartition.js';
import type { MergeOperatorFactory, RepartitionKeyFormat } from './plan.js';
import { formatType, typesEqual, type SqlType } from '../types/index.js';
import type { SqlRecord } from '../runtime/records.js';
import type { SqlValue } from '../types/index.js';
import type { DataSource } from './data-source.js';
import type { Column } from './schema.js';
import { SqlAnalysisError } from './errors.js';
import type { ExpressionCompiler } from './expression-compiler.js';
import { analyzeJoinCondition, type JoinColumn, type JoinCondition } from './join-condition.js';
import {
  isSingleSource,
  joinedColumnOrder,
  joinedSchema,
  sideColumns,
  syntheticKeyName,
} from './join-schema.js';
import { scopeOf, type KeyBinding, type PlannedSource, type PlannedStep } from './plan.js';
import { registerJoinPlanner } from './step-planners.js';

export interface JoinKeyInfo {
  /** Columns of the joined schema any of which the projection may take as the result's key. */
  readonly viableKeyColumns: readonly string[];
  /** The same as ksqlDB names them in its messages: `L.A`, `R.A` (or `ROWKEY` when synthetic). */
  readonly viableKeyExpressions: readonly string[];
  /** The key is ROWKEY (or ROWKEY_n), not a source column: the projection must select it by that name. */
  readonly synthetic: boolean;
  /**
   * A foreign-key join: the result is keyed by the left table's primary key, and the projection must
   * include every one of its columns (`viableKeyColumns`, all required), as ksqlDB checks.
   */
  readonly foreignKey?: { readonly leftAlias: string };
}

/** A planned join: the step, with what the projection needs to know about its key. */
export interface PlannedJoin extends PlannedStep {
  readonly joinKey: JoinKeyInfo;
  /** How its records' keys are partitioned: what a side re-keyed to meet it is written with. */
  readonly partitioning: RepartitionKeyFormat;
  /** The names of its repartition steps and of the joins nested in it: a join around it prefixes `L_`. */
  readonly stepNames: readonly { name: string }[];
}

export function joinKeyOf(step: PlannedSource): JoinKeyInfo | undefined {
  return (step as Partial<PlannedJoin>).joinKey;
}

const JOIN_TYPE_TEXT: Record<JoinType, string> = {
  INNER: '[INNER] JOIN',
  LEFT: 'LEFT [OUTER] JOIN',
  RIGHT: 'RIGHT [OUTER] JOIN',
  FULL: '[FULL] OUTER JOIN',
};

export function planJoin(
  left: PlannedSource,
  right: PlannedSource,
  join: Join,
  compiler: ExpressionCompiler,
): PlannedJoin {
  if (right.input.kind !== 'Topic') throw new SqlAnalysisError('The right side of a JOIN must be a source.');
  const rightSource = right.input.source;
  const rightAlias = right.input.alias;
  const leftSources = sourcesOf(left);
  checkSources(leftSources, rightSource, left.input.kind === 'Merge');

  const condition = analyzeJoinCondition(left, right, join, rightAlias);
  const got = `Got ${condition.text.first} = ${condition.text.second}.`;
  const leftSourceName = sourceOfAlias(left, aliasOfExpression(condition.leftColumn, left))?.name;
  const joinText = `${leftSourceName ?? leftSources[0]?.name ?? ''} ${JOIN_TYPE_TEXT[join.type]} ${rightSource.name}`;
  const foreignKey = checkKinds(left, right, join, condition, joinText, got);

  const leftKey = compiler.compile(condition.left, scopeOf(left));
  const rightKey = compiler.compile(condition.right, scopeOf(right));
  checkTypes(leftKey.type, rightKey.type, condition);
  if (foreignKey) {
    if (right.window !== undefined) {
      throw new SqlAnalysisError('Foreign-key table-table joins are not supported on windowed tables.');
    }
    return planForeignKeyJoin(left, right, join, rightAlias, leftKey.evaluate);
  }

  const leftViable = joinKeyOf(left)?.viableKeyColumns ?? [];
  const leftColumnName =
    condition.leftColumn === undefined ? undefined : joinedName(left, condition.leftColumn);
  const rekeyLeft =
    condition.leftColumn === undefined ||
    !(condition.leftColumn.isKey || (leftColumnName !== undefined && leftViable.includes(leftColumnName)));
  const rekeyRight = condition.rightColumn?.isKey !== true;
  checkWindows(left, right, leftSources, rightSource, rekeyLeft || rekeyRight);

  // An earlier join's synthetic key is no source's column: it leaves the row, as in ksqlDB.
  const leftKeyNotInRow = joinKeyOf(left)?.synthetic === true;
  const leftColumns = sideColumns(left, leftKeyNotInRow);
  const rightColumns = sideColumns(right, false);
  const rightColumnName =
    condition.rightColumn === undefined ? undefined : joinedName(right, condition.rightColumn);
  const keyColumn = join.type === 'FULL' ? undefined : (leftColumnName ?? rightColumnName);
  const allSourceColumns = new Set(
    [...leftSources, rightSource].flatMap((s) => [...s.schema.key, ...s.schema.value].map((c) => c.name)),
  );
  const keyType = leftKey.type ?? rightKey.type;
  if (keyType === null)
    throw new SqlAnalysisError('Invalid join condition: the join key has no type (NULL).');
  checkKeyType(keyColumn ?? 'ROWKEY', keyType);
  const joined = joinedSchema(
    leftColumns,
    rightColumns,
    keyColumn === undefined
      ? { synthetic: syntheticKeyName(allSourceColumns), type: keyType }
      : { column: keyColumn },
  );

  const joinKey: JoinKeyInfo =
    keyColumn === undefined
      ? {
          viableKeyColumns: [joined.schema.key[0]?.name ?? 'ROWKEY'],
          viableKeyExpressions: [joined.schema.key[0]?.name ?? 'ROWKEY'],
          synthetic: true,
        }
      : viableKeys(left, condition, leftColumnName, rightColumnName, rekeyLeft);

  // ksqlDB's step names: the joins so far are its left side (`L_`).
  const nested = left.input.kind === 'Merge' ? ((left as Partial<PlannedJoin>).stepNames ?? []) : [];
  for (const step of nested) step.name = `L_${step.name}`;
  const stepNames: { name: string }[] = [...nested];
  const sideStep = (
    side: PlannedSource,
    rekey: boolean,
    evaluate: typeof leftKey.evaluate,
    keyNotInRow: boolean,
    repartition: { readonly name: string; readonly keyFormat: RepartitionKeyFormat },
  ): PlannedSource => {
    const rekeyed = joinSideOperator({
      kind: side.kind,
      keyNotInRow,
      withPseudo: isSingleSource(side),
      ...(rekey ? { joinKey: (r) => evaluate(r) } : {}),
    });
    if (!rekey) return { ...side, operators: [...side.operators, rekeyed] };
    const step = { name: repartition.name };
    stepNames.push(step);
    const marker = repartitionMarker(joinRepartition(step, repartition.keyFormat));
    return { ...side, operators: [...side.operators, rekeyed, marker] };
  };
  const leftPartitioning = partitioningOf(left);
  const rightPartitioning = partitioningOf(right);
  const layout: JoinedRowLayout = {
    leftWidth: joined.leftWidth,
    rightWidth: joined.rightWidth,
    ...(joined.keyColumnIndex === undefined ? {} : { keyColumnIndex: joined.keyColumnIndex }),
  };
  const combine = joinOperator(left, right, join, layout, `Join_${rightAlias}`);
  const aliases = new Map<string, string>();
  for (const [alias, prefix] of left.aliases) aliases.set(alias, prefix === '' ? `${alias}_` : prefix);
  aliases.set(rightAlias, `${rightAlias}_`);

  const window = left.window ?? right.window;
  return {
    schema: joined.schema,
    kind: left.kind === 'TABLE' && right.kind === 'TABLE' ? 'TABLE' : 'STREAM',
    ...(window === undefined ? {} : { window }),
    input: {
      kind: 'Merge',
      inputs: [
        sideStep(left, rekeyLeft, leftKey.evaluate, leftKeyNotInRow, {
          name: right.kind === 'STREAM' ? 'Join-left' : 'Join',
          keyFormat: rekeyRight ? 'text' : rightPartitioning,
        }),
        sideStep(right, rekeyRight, rightKey.evaluate, false, {
          name: 'Join-right',
          keyFormat: rekeyLeft ? 'text' : leftPartitioning,
        }),
      ],
      combine,
    },
    operators: [],
    aliases,
    joinedColumnOrder: [...joinedColumnOrder(left, leftKeyNotInRow), ...joinedColumnOrder(right, false)],
    keyBindings: [keyBinding(joinKey)],
    joinKey,
    partitioning: !rekeyLeft ? leftPartitioning : rekeyRight ? 'text' : rightPartitioning,
    stepNames,
  };
}

/**
 * How a side's records are partitioned by their key, for a re-keyed other side to be written alike: a
 * source's key format (the bytes its producers wrote, so the same murmur2 partition; for a registry format
 * written with the subject's latest schema, whose id those bytes carry), a join's own partitioning, else
 * the key string.
 */
function partitioningOf(side: PlannedSource): RepartitionKeyFormat {
  if (side.input.kind === 'Merge') return (side as Partial<PlannedJoin>).partitioning ?? 'text';
  const source = side.input.source;
  if (source.schema.key.length !== 1 || source.window !== undefined) return 'text';
  return { source };
}

/** How the projection may name the join's key, and how ksqlDB's message lists it when it is missing. */
function keyBinding(joinKey: JoinKeyInfo): KeyBinding {
  const expressions = joinKey.viableKeyExpressions;
  const bare = expressions.map((e) => e.slice(e.indexOf('.') + 1));
  const display =
    expressions.length <= 1
      ? (expressions[0] ?? '')
      : `${expressions.slice(0, -1).join(', ')} or ${expressions[expressions.length - 1] ?? ''}`;
  return {
    what: 'join expression',
    texts: [...new Set([...expressions, ...bare])],
    display,
    example: expressions[0] ?? '',
    ...(expressions.length > 1 ? { alternatives: true } : {}),
  };
}

registerJoinPlanner(planJoin);

/**
 * A table-table join on a left expression that is not the left's key: keyed by the left table's key
 * (every column of it), its value the left's value columns then the right's whole row.
 */
function planForeignKeyJoin(
  left: PlannedSource,
  right: PlannedSource,
  join: Join,
  rightAlias: string,
  foreignKey: (record: SqlRecord) => SqlValue,
): PlannedJoin {
  const leftAlias = left.input.kind === 'Topic' ? left.input.alias : '';
  const prefixed = (column: Column): Column => ({ ...column, name: `${leftAlias}_${column.name}` });
  const rightColumns = sideColumns(right, false);
  // The left's row is its value columns and pseudo-columns: its key is the result's key.
  const leftColumns = sideColumns(left, true);
  const schema = {
    key: left.schema.key.map(prefixed),
    value: [...leftColumns, ...rightColumns],
  };
  const type = join.type === 'LEFT' ? 'LEFT' : 'INNER';
  return {
    schema,
    kind: 'TABLE',
    input: {
      kind: 'Merge',
      inputs: [
        {
          ...left,
          operators: [
            ...left.operators,
            joinSideOperator({ kind: 'TABLE', keyNotInRow: true, withPseudo: isSingleSource(left) }),
          ],
        },
        { ...right, operators: [...right.operators, joinSideOperator({ kind: 'TABLE', withPseudo: true })] },
      ],
      combine: foreignKeyJoin({
        type,
        layout: { leftWidth: leftColumns.length, rightWidth: rightColumns.length },
        foreignKey,
        storeName: `Join_${rightAlias}`,
      }),
    },
    operators: [],
    aliases: new Map([
      [leftAlias, `${leftAlias}_`],
      [rightAlias, `${rightAlias}_`],
    ]),
    keyBindings: left.schema.key.map((c) => ({
      what: 'key column',
      texts: [`${leftAlias}.${c.name}`, c.name],
      display: `${leftAlias}.${c.name}`,
      example: `${leftAlias}.${c.name}`,
      foreignKey: { table: leftAlias, column: c.name },
    })),
    joinKey: {
      viableKeyColumns: schema.key.map((c) => c.name),
      viableKeyExpressions: left.schema.key.map((c) => `${leftAlias}.${c.name}`),
      synthetic: false,
      foreignKey: { leftAlias },
    },
    partitioning: partitioningOf(left),
    stepNames: [],
  };
}

function joinOperator(
  left: PlannedSource,
  right: PlannedSource,
  join: Join,
  layout: JoinedRowLayout,
  storeName: string,
): MergeOperatorFactory {
  if (left.kind === 'STREAM' && right.kind === 'STREAM') {
    const within = join.within;
    if (within === undefined) throw new Error('unreachable: checked by checkKinds');
    return streamStreamJoin({
      type: join.type,
      layout,
      beforeMs: durationMs(within.before),
      afterMs: durationMs(within.after),
      ...(within.grace === undefined ? {} : { graceMs: durationMs(within.grace) }),
      storeName,
    });
  }
  if (left.kind === 'STREAM') {
    if (join.type !== 'INNER' && join.type !== 'LEFT') throw new Error('unreachable: checked by checkKinds');
    return streamTableJoin({ type: join.type, layout, storeName });
  }
  return tableTableJoin({ type: join.type, layout, storeName });
}

const UNIT_MS: Record<Duration['unit'], number> = {
  MILLISECONDS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

export function durationMs(duration: Duration): number {
  return duration.value * UNIT_MS[duration.unit];
}

// ---------------------------------------------------------------- checks, with ksqlDB's messages

function checkSources(leftSources: readonly DataSource[], right: DataSource, nWay: boolean): void {
  if (leftSources.some((s) => s.name === right.name)) {
    throw new SqlAnalysisError(
      nWay
        ? `N-way joins do not support multiple occurrences of the same source. Source: '${right.name}'`
        : `Can not join '${right.name}' to '${right.name}': self joins are not yet supported.`,
    );
  }
  const kafka = [...leftSources, right].filter((s) => s.valueFormat === 'KAFKA').map((s) => s.name);
  if (kafka.length > 0) {
    throw new SqlAnalysisError(
      `Source(s) ${kafka.join(', ')} are using the 'KAFKA' value format. This format does not yet support JOIN.`,
    );
  }
}

function checkKinds(
  left: PlannedSource,
  right: PlannedSource,
  join: Join,
  condition: JoinCondition,
  joinText: string,
  got: string,
): boolean {
  const rightIsKey = condition.rightColumn?.isKey === true;
  if (left.kind === 'STREAM' && right.kind === 'STREAM') {
    if (join.within === undefined) {
      throw new SqlAnalysisError(
        'Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to ' +
          'specify a WITHIN clause with a stream-stream join, please visit: ' +
          'https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select',
      );
    }
    return false;
  }
  if (left.kind === 'TABLE' && right.kind === 'STREAM') {
    throw new SqlAnalysisError(
      `Invalid join order: table-stream joins are not supported; only stream-table joins. Got ${joinText}.`,
    );
  }
  if (left.kind === 'STREAM') {
    if (join.type === 'FULL') {
      throw new SqlAnalysisError(
        `Invalid join type: full-outer join not supported for stream-table join. Got ${joinText}.`,
      );
    }
    if (!rightIsKey) {
      throw new SqlAnalysisError(
        `Invalid join condition: stream-table joins require to join on the table's primary key. ${got}`,
      );
    }
    if (join.type === 'RIGHT') {
      throw new SqlAnalysisError(`Invalid join type encountered: ${JOIN_TYPE_TEXT[join.type]}`);
    }
    if (join.within !== undefined) {
      throw new SqlAnalysisError(
        'A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop ' +
          'the window definition (ie. the WITHIN clause) and try to execute your join again.',
      );
    }
    return false;
  }
  if (!rightIsKey) {
    throw new SqlAnalysisError(
      `Invalid join condition: table-table joins require to join on the primary key of the right input table. ${got}`,
    );
  }
  const leftIsKey =
    condition.leftColumn !== undefined &&
    (condition.leftColumn.isKey ||
      (joinKeyOf(left)?.viableKeyColumns ?? []).includes(joinedName(left, condition.leftColumn)));
  if (join.within !== undefined) {
    throw new SqlAnalysisError(
      'A window definition was provided for a Table-Table join. These joins are not windowed. Please drop ' +
        'the window definition (i.e. the WITHIN clause) and try to execute your Table-Table join again.',
    );
  }
  if (!leftIsKey) checkForeignKeyJoin(left, join, joinText, got);
  return !leftIsKey;
}

/** A table-table join on a left column that is not its key: what ksqlDB allows of foreign-key joins. */
function checkForeignKeyJoin(left: PlannedSource, join: Join, joinText: string, got: string): void {
  if (join.type === 'FULL') {
    throw new SqlAnalysisError(
      `Invalid join type: full-outer join not supported for foreign-key table-table join. Got ${joinText}.`,
    );
  }
  if (left.input.kind !== 'Topic') {
    throw new SqlAnalysisError(
      `Invalid join condition: foreign-key table-table joins are not supported as part of n-way joins. ${got}`,
    );
  }
  if (join.type === 'RIGHT') throw new SqlAnalysisError('RIGHT OUTER JOIN on a foreign key is not supported');
}

function checkTypes(leftType: SqlType | null, rightType: SqlType | null, condition: JoinCondition): void {
  if (leftType === null || rightType === null || typesEqual(leftType, rightType)) return;
  const [firstType, secondType] = condition.flipped ? [rightType, leftType] : [leftType, rightType];
  throw new SqlAnalysisError(
    `Invalid join condition: types don't match. Got ${condition.text.first}{${formatType(firstType)}} = ` +
      `${condition.text.second}{${formatType(secondType)}}.`,
  );
}

function checkWindows(
  left: PlannedSource,
  right: PlannedSource,
  leftSources: readonly DataSource[],
  rightSource: DataSource,
  rekeyed: boolean,
): void {
  const leftWindow = left.window?.type;
  const rightWindow = right.window?.type;
  if (leftWindow === undefined && rightWindow === undefined) return;
  if (leftWindow === undefined || rightWindow === undefined) {
    const describe = (name: string, type: string | undefined): string =>
      `\`${name}\` is ${type === undefined ? 'not windowed' : `${type} windowed`}`;
    throw new SqlAnalysisError(
      'Can not join windowed source to non-windowed source.\n' +
        `${describe(leftSources[0]?.name ?? '', leftWindow)}\n${describe(rightSource.name, rightWindow)}`,
    );
  }
  if ((leftWindow === 'SESSION') !== (rightWindow === 'SESSION')) {
    throw new SqlAnalysisError(
      `Incompatible windowed sources.\nLeft source: ${leftWindow}\nRight source: ${rightWindow}\n` +
        'Session windowed sources can only be joined to other session windowed sources, and may still not ' +
        'result in expected behaviour as session bounds must be an exact match for the join to work\n' +
        'Hopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed sources',
    );
  }
  const leftSize = left.window?.sizeMs;
  const rightSize = right.window?.sizeMs;
  if (leftSize !== undefined && rightSize !== undefined && leftSize !== rightSize) {
    throw new SqlAnalysisError('Implicit repartitioning of windowed sources is not supported.');
  }
  if (rekeyed) {
    throw new SqlAnalysisError(
      'Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.',
    );
  }
}

/** ksqlDB refuses MAP keys (their serialized form is not stable), however deep the MAP sits. */
function checkKeyType(keyName: string, type: SqlType): void {
  const hasMap = (t: SqlType): boolean =>
    t.kind === 'MAP' ||
    (t.kind === 'ARRAY' && hasMap(t.element)) ||
    (t.kind === 'STRUCT' && t.fields.some((f) => hasMap(f.type)));
  if (!hasMap(type)) return;
  throw new SqlAnalysisError(
    'Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due ' +
      `to inconsistent serialization. Key column name: \`${keyName}\`. Column type: ${formatType(type)}. ` +
      'See https://github.com/confluentinc/ksql/issues/6621 for more.',
  );
}

// ---------------------------------------------------------------- helpers

function sourcesOf(planned: PlannedSource): DataSource[] {
  return planned.input.kind === 'Topic' ? [planned.input.source] : planned.input.inputs.flatMap(sourcesOf);
}

function sourceOfAlias(planned: PlannedSource, alias: string | undefined): DataSource | undefined {
  if (planned.input.kind === 'Topic')
    return alias === undefined || planned.input.alias === alias ? planned.input.source : undefined;
  for (const input of planned.input.inputs) {
    const found = sourceOfAlias(input, alias);
    if (found !== undefined) return found;
  }
  return undefined;
}

function aliasOfExpression(column: JoinColumn | undefined, left: PlannedSource): string | undefined {
  return column?.alias ?? (left.input.kind === 'Topic' ? left.input.alias : undefined);
}

/** The column's name in the joined schema (prefixed by its alias). */
function joinedName(side: PlannedSource, column: JoinColumn): string {
  return side.aliases.get(column.alias) === '' ? `${column.alias}_${column.name}` : column.column.name;
}

function viableKeys(
  left: PlannedSource,
  condition: JoinCondition,
  leftColumnName: string | undefined,
  rightColumnName: string | undefined,
  rekeyLeft: boolean,
): JoinKeyInfo {
  const columns: string[] = [];
  const expressions: string[] = [];
  const previous = rekeyLeft ? undefined : joinKeyOf(left);
  if (previous !== undefined) {
    columns.push(...previous.viableKeyColumns);
    expressions.push(...previous.viableKeyExpressions);
  }
  const add = (name: string | undefined, column: JoinColumn | undefined): void => {
    if (name === undefined || column === undefined || columns.includes(name)) return;
    columns.push(name);
    expressions.push(`${column.alias}.${column.name}`);
  };
  add(leftColumnName, condition.leftColumn);
  add(rightColumnName, condition.rightColumn);
  return { viableKeyColumns: columns, viableKeyExpressions: expressions, synthetic: false };
}
