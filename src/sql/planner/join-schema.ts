// The joined schema as ksqlDB builds it: every column of the left side then of the right side (each
// side's key columns first), named `<alias>_<column>`, and one key column: the join column itself
// (`L_A`), or for a FULL OUTER join or a join on expressions a synthetic `ROWKEY` (`ROWKEY_n` when a
// source already has a ROWKEY column), whose value is whichever side's join key is present.
import { SqlTypes, type SqlType } from '../types/index.js';
import type { PlannedSource } from './plan.js';
import type { Column, LogicalSchema } from './schema.js';

/** Whether the side is one source (its columns get the alias prefix and its pseudo-columns join the row). */
export function isSingleSource(side: PlannedSource): boolean {
  return [...side.aliases.values()].every((prefix) => prefix === '');
}

/**
 * A side's whole row as joinSideOperator lays its records out: key columns, value columns, then for a
 * single source its ROWTIME, ROWPARTITION and ROWOFFSET (a joined side already carries its sources').
 */
export function sideColumns(side: PlannedSource, keyNotInRow: boolean): Column[] {
  const single = isSingleSource(side);
  const alias = [...side.aliases.keys()][0] ?? '';
  const columns = [...(keyNotInRow ? [] : side.schema.key), ...side.schema.value].map((column) => ({
    ...column,
    name: single ? `${alias}_${column.name}` : column.name,
    namespace: 'VALUE' as const,
  }));
  if (!single) return columns;
  return [...columns, ...sidePseudoColumns(alias)];
}

const PSEUDO_TYPES: readonly [string, SqlType][] = [
  ['ROWTIME', SqlTypes.BIGINT],
  ['ROWPARTITION', SqlTypes.INTEGER],
  ['ROWOFFSET', SqlTypes.BIGINT],
];

function sidePseudoColumns(alias: string): Column[] {
  return PSEUDO_TYPES.map(([name, type]) => ({
    name: `${alias}_${name}`,
    type,
    namespace: 'VALUE',
    sidePseudo: true,
  }));
}

/**
 * The joined columns in ksqlDB's order for `*` after a PARTITION BY: side by side, each single source's
 * value columns, then its pseudo-columns, then its key columns (a nested join gives its own order).
 */
export function joinedColumnOrder(side: PlannedSource, keyNotInRow: boolean): string[] {
  if (!isSingleSource(side)) {
    return [...(side.joinedColumnOrder ?? [...side.schema.key, ...side.schema.value].map((c) => c.name))];
  }
  const alias = [...side.aliases.keys()][0] ?? '';
  return [
    ...side.schema.value.map((c) => `${alias}_${c.name}`),
    ...sidePseudoColumns(alias).map((c) => c.name),
    ...(keyNotInRow ? [] : side.schema.key.map((c) => `${alias}_${c.name}`)),
  ];
}

export interface JoinedSchema {
  readonly schema: LogicalSchema;
  /** Where the key column sits in left row ++ right row; undefined for a synthetic key. */
  readonly keyColumnIndex?: number;
  readonly leftWidth: number;
  readonly rightWidth: number;
}

export function joinedSchema(
  left: readonly Column[],
  right: readonly Column[],
  key: { readonly column: string } | { readonly synthetic: string; readonly type: SqlType },
): JoinedSchema {
  const all = [...left, ...right];
  if ('synthetic' in key) {
    return {
      schema: { key: [{ name: key.synthetic, type: key.type, namespace: 'KEY' }], value: all },
      leftWidth: left.length,
      rightWidth: right.length,
    };
  }
  const index = all.findIndex((c) => c.name === key.column);
  const keyColumn = all[index];
  if (keyColumn === undefined) throw new Error(`join key column ${key.column} is not in the joined columns`);
  return {
    schema: {
      key: [{ ...keyColumn, namespace: 'KEY' }],
      value: all.filter((_, i) => i !== index),
    },
    keyColumnIndex: index,
    leftWidth: left.length,
    rightWidth: right.length,
  };
}

/** ROWKEY, or ROWKEY_n with the first n no source column uses. */
export function syntheticKeyName(sourceColumnNames: ReadonlySet<string>): string {
  if (!sourceColumnNames.has('ROWKEY')) return 'ROWKEY';
  for (let n = 1; ; n += 1) {
    if (!sourceColumnNames.has(`ROWKEY_${n}`)) return `ROWKEY_${n}`;
  }
}
