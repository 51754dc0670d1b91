// A pull query on a windowed table may compare WINDOWSTART and WINDOWEND with datetime text
// ('2020-02-23T23:45:12.000', or a prefix of it such as '2020-02-22T23:45'), as ksqlDB allows: the text
// is read as UTC and replaced by its epoch milliseconds before the WHERE is compiled.
import type { Comparison, Expression, NumberLiteral } from '../parser/index.js';
import { SqlAnalysisError } from './errors.js';

const BOUNDS = new Set(['WINDOWSTART', 'WINDOWEND']);
const DATETIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?)?)?)?(Z)?$/;

/** Epoch ms of a datetime text in UTC; missing parts are their lowest value (hour 24 is the next day). */
export function datetimeTextToMillis(text: string): number | undefined {
  const match = DATETIME.exec(text.trim());
  if (match === null) return undefined;
  const part = (i: number, fallback: number): number =>
    match[i] === undefined ? fallback : Number(match[i]);
  const millis = match[7] === undefined ? 0 : Number(match[7].padEnd(3, '0'));
  return Date.UTC(part(1, 1970), part(2, 1) - 1, part(3, 1), part(4, 0), part(5, 0), part(6, 0), millis);
}

const isBound = (e: Expression): boolean =>
  e.kind === 'ColumnRef' && e.source === undefined && BOUNDS.has(e.name.value);

function asMillis(e: Expression): Expression {
  if (e.kind !== 'StringLiteral') return e;
  const millis = datetimeTextToMillis(e.value);
  if (millis === undefined) {
    throw new SqlAnalysisError(`Failed to parse datetime '${e.value}' as a window bound.`, e.pos);
  }
  const literal: NumberLiteral = { kind: 'NumberLiteral', type: 'BIGINT', text: String(millis), pos: e.pos };
  return literal;
}

/** The WHERE with each datetime text compared with a window bound replaced by its epoch milliseconds. */
export function windowBoundLiterals(where: Expression): Expression {
  switch (where.kind) {
    case 'LogicalBinary':
      return { ...where, left: windowBoundLiterals(where.left), right: windowBoundLiterals(where.right) };
    case 'Not':
      return { ...where, operand: windowBoundLiterals(where.operand) };
    case 'Comparison': {
      const rewritten: Comparison = isBound(where.left)
        ? { ...where, right: asMillis(where.right) }
        : isBound(where.right)
          ? { ...where, left: asMillis(where.left) }
          : where;
      return rewritten;
    }
    case 'Between':
      return isBound(where.value)
        ? { ...where, lower: asMillis(where.lower), upper: asMillis(where.upper) }
        : where;
    default:
      return where;
  }
}
