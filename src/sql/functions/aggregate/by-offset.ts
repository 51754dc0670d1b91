// EARLIEST_BY_OFFSET and LATEST_BY_OFFSET: the first or last value to arrive (NULLs skipped unless
// ignoreNulls is false), or the first or last n as an array. Each value carries a sequence number so
// that two session windows' accumulators merge in arrival order, as ksqlDB's do.
import { SqlTypes, type SqlType, type SqlValue } from '../../types/index.js';
import { bound, type AggregateArgType, type AggregateDefinition, type LiteralArg } from './definition.js';
import { valueFromJson, valueToJson } from './values.js';

interface Entry {
  readonly seq: number;
  readonly value: SqlValue;
}

// Starts from the clock so that the accumulators restored from a changelog stay older than new arrivals.
let nextSequence = Date.now() * 1000;

interface Options {
  readonly n?: number;
  readonly ignoreNulls: boolean;
}

/** Reads the literal parameters of (T [, INT n] [, BOOLEAN ignoreNulls]); undefined if they do not fit. */
function parseOptions(
  argTypes: readonly AggregateArgType[],
  literals: readonly LiteralArg[],
): Options | undefined {
  const rest = argTypes.slice(1);
  const values = literals.slice(1);
  let n: number | undefined;
  let ignoreNulls = true;
  for (const [i, type] of rest.entries()) {
    const literal = values[i];
    if (type?.kind === 'INTEGER' && i === 0 && typeof literal === 'number' && literal >= 1) n = literal;
    else if (type?.kind === 'BOOLEAN' && i === rest.length - 1 && typeof literal === 'boolean')
      ignoreNulls = literal;
    else return undefined;
  }
  return rest.length > 2 ? undefined : { n, ignoreNulls };
}

const entryToJson = (e: Entry): unknown => ({ seq: e.seq, value: valueToJson(e.value) });
const entryFromJson = (data: unknown): Entry => {
  const { seq, value } = data as { seq: number; value: unknown };
  return { seq, value: valueFromJson(value) };
};
const bySeq = (a: Entry, b: Entry): number => a.seq - b.seq;

function byOffset(name: string, latest: boolean): AggregateDefinition {
  const which = latest ? 'latest' : 'earliest';
  return {
    name,
    description: `This function returns the ${which} value for the column, computed by offset.`,
    signatures: [
      { args: 'T val', returns: 'T', description: `The ${which} non-NULL value.` },
      { args: 'T val, BOOLEAN ignoreNulls', returns: 'T', description: `The ${which} value.` },
      { args: 'T val, INT n', returns: 'ARRAY<T>', description: `The ${which} n non-NULL values.` },
      {
        args: 'T val, INT n, BOOLEAN ignoreNulls',
        returns: 'ARRAY<T>',
        description: `The ${which} n values.`,
      },
    ],
    bind(argTypes, literals) {
      const type = argTypes[0];
      const options = parseOptions(argTypes, literals);
      if (type === null || type === undefined || options === undefined) return undefined;
      const skip = (v: SqlValue): boolean => options.ignoreNulls && v === null;
      const { n } = options;
      if (n === undefined) return single(name, type, latest, skip);
      return bound(
        name,
        SqlTypes.array(type),
        1,
        () => ({
          initialize: (): readonly Entry[] => [],
          aggregate: ([v], entries) => {
            const value = v ?? null;
            if (skip(value) || (!latest && entries.length >= n)) return entries;
            return [...entries, { seq: nextSequence++, value }].slice(-n);
          },
          merge: (a, b) => {
            const all = [...a, ...b].sort(bySeq);
            return latest ? all.slice(-n) : all.slice(0, n);
          },
          result: (entries) => entries.map((e) => e.value),
          toJson: (entries) => entries.map(entryToJson),
          fromJson: (data) => (data as unknown[]).map(entryFromJson),
        }),
        SqlTypes.array(sequenced(type)),
      );
    },
  };
}

/** ksqlDB keeps each value beside its sequence number: STRUCT<SEQ BIGINT, VAL T>. */
function sequenced(type: SqlType): SqlType {
  return SqlTypes.struct([
    { name: 'SEQ', type: SqlTypes.BIGINT },
    { name: 'VAL', type },
  ]);
}

function single(name: string, type: SqlType, latest: boolean, skip: (v: SqlValue) => boolean) {
  return bound(
    name,
    type,
    1,
    () => ({
      initialize: (): Entry | null => null,
      aggregate: ([v], entry) => {
        const value = v ?? null;
        if (skip(value) || (!latest && entry !== null)) return entry;
        return { seq: nextSequence++, value };
      },
      merge: (a, b) => {
        if (a === null || b === null) return a ?? b;
        return a.seq < b.seq === latest ? b : a;
      },
      result: (entry) => entry?.value ?? null,
      toJson: (entry) => (entry === null ? null : entryToJson(entry)),
      fromJson: (data) => (data === null ? null : entryFromJson(data)),
    }),
    sequenced(type),
  );
}

export const earliestByOffset = byOffset('EARLIEST_BY_OFFSET', false);
export const latestByOffset = byOffset('LATEST_BY_OFFSET', true);
