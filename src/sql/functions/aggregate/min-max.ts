// MIN and MAX over the ordered types; NULLs are skipped and the result is NULL until a value comes.
// Stream-only in ksqlDB (no undo): a table's old minimum cannot be taken back without all the values.
import type { SqlValue } from '../../types/index.js';
import { bound, ORDERED_KINDS, type AggregateDefinition } from './definition.js';
import { compareValues, valueFromJson, valueToJson } from './values.js';

function extreme(name: 'MIN' | 'MAX', sign: 1 | -1): AggregateDefinition {
  const pick = (a: SqlValue, b: SqlValue): SqlValue =>
    a === null ? b : b === null ? a : sign * compareValues(b, a) > 0 ? b : a;
  const word = sign > 0 ? 'maximum' : 'minimum';
  return {
    name,
    description: `Computes the ${word} value for a key.`,
    signatures: [...ORDERED_KINDS].map((t) => ({
      args: `${t === 'INTEGER' ? 'INT' : t} val`,
      returns: t === 'INTEGER' ? 'INT' : t,
      description: `Computes the ${word} ${t} value for a key.`,
    })),
    bind(argTypes) {
      const [type] = argTypes;
      if (argTypes.length !== 1 || type === null || type === undefined || !ORDERED_KINDS.has(type.kind)) {
        return undefined;
      }
      return bound(name, type, 1, () => ({
        initialize: (): SqlValue => null,
        aggregate: ([v], acc) => pick(acc, v ?? null),
        merge: pick,
        result: (acc) => acc,
        toJson: valueToJson,
        fromJson: valueFromJson,
      }));
    },
  };
}

export const max = extreme('MAX', 1);
export const min = extreme('MIN', -1);
