// DataSource fixtures for planner and runtime tests: a JSON stream on a KAFKA key unless told otherwise,
// so a test names only what it is about.
import type { DataSource } from '../../../src/sql/planner/data-source.js';
import type { Column } from '../../../src/sql/planner/schema.js';
import type { SqlType } from '../../../src/sql/types/index.js';

/** A column of the key or of the value. */
export const keyColumn = (name: string, type: SqlType): Column => ({ name, type, namespace: 'KEY' });
export const valueColumn = (name: string, type: SqlType): Column => ({ name, type, namespace: 'VALUE' });

export function jsonSource(
  fields: Pick<DataSource, 'name' | 'topic'> & {
    readonly key: readonly Column[];
    readonly value: readonly Column[];
  } & Partial<Omit<DataSource, 'name' | 'topic' | 'schema'>>,
): DataSource {
  const { key, value, ...rest } = fields;
  return {
    kind: 'STREAM',
    keyFormat: 'KAFKA',
    valueFormat: 'JSON',
    keyOptions: {},
    valueOptions: {},
    isSource: false,
    sqlText: '',
    ...rest,
    schema: { key, value },
  };
}
