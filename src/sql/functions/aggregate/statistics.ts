// STDDEV_SAMP and CORRELATION over doubles, kept as running sums so that a table row's old values can
// be taken back out (both are table aggregations in ksqlDB). With too few values the result is 0.0 for
// STDDEV_SAMP and NaN for CORRELATION, as ksqlDB gives.
import { SqlTypes, type SqlType, type SqlValue } from '../../types/index.js';
import { bound, type AggregateDefinition } from './definition.js';

const DOUBLE_INPUTS: ReadonlySet<string> = new Set(['INTEGER', 'BIGINT', 'DOUBLE']);
const asDouble = (v: SqlValue | undefined): number | null =>
  v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : (v as number);

interface Moments {
  readonly count: number;
  readonly sum: number;
  readonly sumOfSquares: number;
}

export const stddevSamp: AggregateDefinition = {
  name: 'STDDEV_SAMP',
  description: 'Returns the sample standard deviation of the column.',
  signatures: ['INT', 'BIGINT', 'DOUBLE'].map((t) => ({
    args: `${t} val`,
    returns: 'DOUBLE',
    description: `The sample standard deviation of ${t} values, ignoring NULLs.`,
  })),
  bind(argTypes) {
    const [type] = argTypes;
    if (argTypes.length !== 1 || type === null || type === undefined || !DOUBLE_INPUTS.has(type.kind)) {
      return undefined;
    }
    const step = (m: Moments, v: SqlValue | undefined, sign: 1 | -1): Moments => {
      const x = asDouble(v);
      if (x === null) return m;
      return { count: m.count + sign, sum: m.sum + sign * x, sumOfSquares: m.sumOfSquares + sign * x * x };
    };
    return bound(
      'STDDEV_SAMP',
      SqlTypes.DOUBLE,
      1,
      () => ({
        initialize: (): Moments => ({ count: 0, sum: 0, sumOfSquares: 0 }),
        aggregate: ([v], m) => step(m, v, 1),
        undo: ([v], m) => step(m, v, -1),
        merge: (a, b) => ({
          count: a.count + b.count,
          sum: a.sum + b.sum,
          sumOfSquares: a.sumOfSquares + b.sumOfSquares,
        }),
        result: ({ count, sum, sumOfSquares }) => {
          if (count < 2) return 0;
          const variance = (sumOfSquares - (sum * sum) / count) / (count - 1);
          return Math.sqrt(Math.max(variance, 0));
        },
        toJson: (m) => m,
        fromJson: (data) => data as Moments,
      }),
      doubleStruct(['SUM', 'COUNT', 'M2']),
    );
  },
};

interface CoMoments {
  readonly count: number;
  readonly x: number;
  readonly y: number;
  readonly xx: number;
  readonly yy: number;
  readonly xy: number;
}

export const correlation: AggregateDefinition = {
  name: 'CORRELATION',
  description: 'Returns the correlation between two columns.',
  signatures: [
    { args: 'DOUBLE x, DOUBLE y', returns: 'DOUBLE', description: "Pearson's correlation of x and y." },
  ],
  bind(argTypes) {
    if (argTypes.length !== 2 || argTypes.some((t) => t === null || !DOUBLE_INPUTS.has(t.kind)))
      return undefined;
    const step = (m: CoMoments, args: readonly SqlValue[], sign: 1 | -1): CoMoments => {
      const x = asDouble(args[0]);
      const y = asDouble(args[1]);
      if (x === null || y === null) return m;
      return {
        count: m.count + sign,
        x: m.x + sign * x,
        y: m.y + sign * y,
        xx: m.xx + sign * x * x,
        yy: m.yy + sign * y * y,
        xy: m.xy + sign * x * y,
      };
    };
    return bound(
      'CORRELATION',
      SqlTypes.DOUBLE,
      2,
      () => ({
        initialize: (): CoMoments => ({ count: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0 }),
        aggregate: (args, m) => step(m, args, 1),
        undo: (args, m) => step(m, args, -1),
        merge: (a, b) => ({
          count: a.count + b.count,
          x: a.x + b.x,
          y: a.y + b.y,
          xx: a.xx + b.xx,
          yy: a.yy + b.yy,
          xy: a.xy + b.xy,
        }),
        result: ({ count: n, x, y, xx, yy, xy }) => {
          const covariance = xy - (x * y) / n;
          const spreadX = xx - (x * x) / n;
          const spreadY = yy - (y * y) / n;
          return covariance / Math.sqrt(spreadX * spreadY);
        },
        toJson: (m) => m,
        fromJson: (data) => data as CoMoments,
      }),
      doubleStruct(['X_SUM', 'Y_SUM', 'X_SQ_SUM', 'Y_SQ_SUM', 'XY_SUM', 'COUNT']),
    );
  },
};

/** The accumulator ksqlDB keeps for the statistics: a STRUCT of running sums. */
function doubleStruct(names: readonly string[]): SqlType {
  return SqlTypes.struct(
    names.map((name) => ({ name, type: name === 'COUNT' ? SqlTypes.BIGINT : SqlTypes.DOUBLE })),
  );
}
