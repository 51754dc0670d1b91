// The aggregate functions (UDAFs) by name: resolving a call binds it to an overload, with ksqlDB's
// message when none fits, and the definitions give DESCRIBE FUNCTION its text.
import { formatType } from '../../types/index.js';
import { average } from './average.js';
import { earliestByOffset, latestByOffset } from './by-offset.js';
import { collectList, collectSet, DEFAULT_COLLECT_LIMIT } from './collect.js';
import { count } from './count.js';
import type {
  AggregateArgType,
  AggregateDefinition,
  AggregateSignature,
  BoundAggregate,
  LiteralArg,
} from './definition.js';
import { countDistinct, histogram } from './distinct.js';
import { max, min } from './min-max.js';
import { correlation, stddevSamp } from './statistics.js';
import { sum, sumList } from './sum.js';
import { topk, topkDistinct } from './topk.js';

export type { AggregateFunction, ResolvedAggregate } from './aggregate-function.js';
export type { AggregateArgType, AggregateDefinition, AggregateSignature, BoundAggregate, LiteralArg };
export { compareValues, valueFromJson, valueIdentity, valueToJson } from './values.js';
export { NumericOverflowError } from './numbers.js';

export class AggregateResolutionError extends Error {
  override readonly name = 'AggregateResolutionError';
}

export interface AggregateRegistryOptions {
  /** ksql.functions.collect_list.limit */
  readonly collectListLimit?: number;
  /** ksql.functions.collect_set.limit */
  readonly collectSetLimit?: number;
}

export interface AggregateDescription {
  readonly name: string;
  readonly description: string;
  readonly type: 'AGGREGATE';
  readonly signatures: readonly AggregateSignature[];
}

export interface AggregateRegistry {
  has(name: string): boolean;
  /** Upper-case names, sorted. */
  names(): string[];
  /**
   * Binds a call: argTypes of every argument (null for a NULL literal), literalArgs the value of each
   * argument that is a literal (undefined for the others). Throws AggregateResolutionError.
   */
  resolve(
    name: string,
    argTypes: readonly AggregateArgType[],
    literalArgs?: readonly LiteralArg[],
  ): BoundAggregate;
  describe(name: string): AggregateDescription | undefined;
}

export function createAggregateRegistry(options: AggregateRegistryOptions = {}): AggregateRegistry {
  const definitions = new Map<string, AggregateDefinition>();
  for (const definition of [
    count,
    sum,
    sumList,
    average,
    min,
    max,
    collectList(options.collectListLimit ?? DEFAULT_COLLECT_LIMIT),
    collectSet(options.collectSetLimit ?? DEFAULT_COLLECT_LIMIT),
    topk,
    topkDistinct,
    earliestByOffset,
    latestByOffset,
    countDistinct,
    histogram,
    stddevSamp,
    correlation,
  ]) {
    definitions.set(definition.name, definition);
  }
  return {
    has: (name) => definitions.has(name.toUpperCase()),
    names: () => [...definitions.keys()].sort(),
    describe(name) {
      const definition = definitions.get(name.toUpperCase());
      if (definition === undefined) return undefined;
      const { description, signatures } = definition;
      return { name: definition.name, description, type: 'AGGREGATE', signatures };
    },
    resolve(name, argTypes, literalArgs = []) {
      const definition = definitions.get(name.toUpperCase());
      if (definition === undefined) {
        throw new AggregateResolutionError(`Can't find any functions with the name '${name.toUpperCase()}'`);
      }
      const resolved = definition.bind(argTypes, literalArgs);
      if (resolved !== undefined) return resolved;
      const given = argTypes.map((t) => (t === null ? 'NULL' : formatType(t))).join(', ');
      const alternatives = definition.signatures.map((s) => `${definition.name}(${s.args})`).join('\n');
      throw new AggregateResolutionError(
        `Function '${definition.name}' does not accept parameters (${given}).\n` +
          `Valid alternatives are:\n${alternatives}\n` +
          'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
      );
    },
  };
}
