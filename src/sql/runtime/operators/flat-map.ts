// Table functions (EXPLODE, CUBE_EXPLODE) as an operator: each record becomes as many records as its
// longest table-function output, each with the input's columns and one more value column per table
// function; a shorter output is padded with NULL, as ksqlDB zips them. A tombstone gives no record.
import type { SqlValue } from '../../types/index.js';
import type { OperatorFactory } from '../operator.js';
import type { SqlRecord } from '../records.js';

/** One table function call bound to a record: its output values, one per output row. */
export type TableFunctionEvaluator = (record: SqlRecord) => readonly SqlValue[];

export function flatMapOperator(functions: readonly TableFunctionEvaluator[]): OperatorFactory {
  return (downstream, context) => ({
    process(record) {
      if (record.value === null) return;
      let outputs: (readonly SqlValue[])[];
      try {
        outputs = functions.map((evaluate) => evaluate(record));
      } catch (error) {
        context.processingError({
          message: `Table function failed: ${error instanceof Error ? error.message : String(error)}`,
          record,
          cause: error,
        });
        return;
      }
      const rows = outputs.reduce((longest, output) => Math.max(longest, output.length), 0);
      for (let row = 0; row < rows; row++) {
        const added = outputs.map((output) => (row < output.length ? (output[row] ?? null) : null));
        downstream({ ...record, value: [...record.value, ...added] });
      }
    },
  });
}
