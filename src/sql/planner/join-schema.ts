// The joined schema as ksqlDB builds it: every column of the left side then of the right side (each
// side's key columns first), named `<alias>_<column>`, and one key column: the join column itself
// (`L_A`), or for a FULL OUTER join or a join on expressions a synthetic `ROWKEY` (`ROWKEY_n` when a
// source already has a ROWKEY column), whose value is whichever side's join key is present.
import type { SqlType } from '../types/index.js';
import type { PlannedSource } from './plan.js';
import type { Column, LogicalSchema } from './schema.js';

/** A side's whole row (key then value columns), as joinSideOperator lays its records out. */
export function sideColumns(side: PlannedSource, keyNotInRow: boolean): Column[] {
  const single = [...side.aliases.values()].every((prefix) => prefix === '');
  const alias = [...side.aliases.keys()][0] ?? '';
  return [...(keyNotInRow ? [] : side.schema.key), ...side.schema.value].map((column) => ({
    ...column,
    name: single ? `${alias}_${column.name}` : column.name,
    namespace: 'VALUE' as const,
  }));
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
