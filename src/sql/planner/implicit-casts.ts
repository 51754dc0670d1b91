// INSERT INTO's implicit casts, as ksqlDB resolves them: a numeric literal SELECTed into a DECIMAL column
// of the target becomes a DECIMAL of that column's precision and scale when its digits fit (scale no
// larger, and no more digits before the point), so `SELECT 1 AS C1` fills a DECIMAL(5, 2) column.
import type { Expression, Query } from '../parser/index.js';
import { SqlDecimal } from '../types/index.js';
import type { LogicalSchema } from './schema.js';

function literalDecimal(expression: Expression): SqlDecimal | undefined {
  if (expression.kind !== 'NumberLiteral') return undefined;
  try {
    return SqlDecimal.parse(expression.text);
  } catch {
    return undefined;
  }
}

/** The query with each such literal cast to its target column's DECIMAL type. */
export function castLiteralsToTarget(query: Query, target: LogicalSchema): Query {
  const columns = [...target.key, ...target.value];
  let changed = false;
  const select = query.select.map((item, index) => {
    const type = columns[index]?.type;
    if (item.kind !== 'SelectExpression' || type?.kind !== 'DECIMAL') return item;
    const value = literalDecimal(item.expression);
    if (value === undefined) return item;
    const fits = value.scale <= type.scale && value.precision - value.scale <= type.precision - type.scale;
    if (!fits) return item;
    changed = true;
    const { pos } = item.expression;
    const cast: Expression = {
      kind: 'Cast',
      pos,
      value: item.expression,
      type: { kind: 'DecimalType', pos, precision: type.precision, scale: type.scale },
    };
    return { ...item, expression: cast };
  });
  return changed ? { ...query, select } : query;
}
