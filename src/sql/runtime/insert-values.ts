// INSERT INTO ... VALUES: the values (constant expressions) are typed against the target's columns,
// converted as ksqlDB allows (numbers widen, a literal casts), and produced as one record. ROWTIME among
// the columns sets the record's timestamp; columns left out are NULL.
import { createExpressionCompiler } from '../planner/expressions.js';
import { castConverter } from '../planner/casts.js';
import type { Expression } from '../parser/index.js';
import type { DataSource } from '../planner/data-source.js';
import { SqlAnalysisError } from '../planner/errors.js';
import { formatType, typesEqual, type SqlValue } from '../types/index.js';
import type { RuntimeDeps } from './context.js';
import { SinkEncoder } from './sink-stage.js';

const EMPTY_SCOPE = { schema: { key: [], value: [] }, windowed: false } as const;

export async function runInsertValues(
  target: DataSource,
  columns: readonly string[],
  values: readonly Expression[],
  deps: RuntimeDeps,
): Promise<void> {
  const all = [...target.schema.key, ...target.schema.value];
  const names = columns.length > 0 ? columns : all.map((c) => c.name);
  if (names.length !== values.length) {
    throw new SqlAnalysisError(
      `Expected a value for each column. Expected Columns: [${names.join(', ')}]. Got ${values.length} values.`,
    );
  }
  let errorMessage: string | undefined;
  const compiler = createExpressionCompiler(deps.functions, {
    onError: (e) => (errorMessage ??= e.message),
  });
  const key: SqlValue[] = target.schema.key.map(() => null);
  const value: SqlValue[] = target.schema.value.map(() => null);
  let timestamp = Date.now();
  names.forEach((name, i) => {
    const expression = values[i] as Expression;
    const compiled = compiler.compile(expression, EMPTY_SCOPE);
    const raw = compiled.evaluate({ key: [], value: [], timestamp, partition: 0, offset: 0 });
    if (name === 'ROWTIME') {
      if (raw !== null) timestamp = Number(raw);
      return;
    }
    const keyIndex = target.schema.key.findIndex((c) => c.name === name);
    const valueIndex = target.schema.value.findIndex((c) => c.name === name);
    const column = keyIndex >= 0 ? target.schema.key[keyIndex] : target.schema.value[valueIndex];
    if (column === undefined) {
      throw new SqlAnalysisError(`Column name ${name} does not exist.`, expression.pos);
    }
    let converted = raw;
    if (compiled.type !== null && !typesEqual(compiled.type, column.type)) {
      const convert = castConverter(compiled.type, column.type);
      if (convert === undefined) {
        throw new SqlAnalysisError(
          `Expected type ${formatType(column.type)} for field ${name} but got ${String(raw)}(${formatType(compiled.type)})`,
          expression.pos,
        );
      }
      converted = convert(raw);
    }
    if (keyIndex >= 0) key[keyIndex] = converted;
    else value[valueIndex] = converted;
  });
  if (errorMessage !== undefined) throw new SqlAnalysisError(errorMessage);
  const encoder = await SinkEncoder.create(target, deps.createSerde);
  const record = encoder.encode({ key, value, timestamp, partition: 0, offset: 0 });
  await deps.kafka.produce([record]);
}
