// The test UDFs ksqlDB's functional tests find on their classpath (BAD_UDF, WHENCONDITION, WHENRESULT),
// given to each engine as user-defined functions so the cases that call them run as written. Their
// behaviour is what the cases' comments describe: throw on request, NULL every other call, and fail
// when CASE evaluates a branch it should have skipped.
import type { SqlFunction } from '../../src/sql/functions/registry.js';
import { SqlTypes, type SqlType } from '../../src/sql/types/index.js';

const param = (name: string, type: SqlType) => ({ name, type });

function lazinessProbe(name: string, type: SqlType, what: string): SqlFunction {
  return {
    name,
    description: `Test UDF: returns its first argument, and fails when its second is false (${what}).`,
    overloads: [
      {
        params: [
          { name: 'value', type },
          { name: 'shouldBeEvaluated', type: SqlTypes.BOOLEAN },
        ],
        returns: type,
        invoke: ([value, shouldBeEvaluated]) => {
          if (shouldBeEvaluated !== true) throw new Error(`${what} in case is not running lazily!`);
          return value ?? null;
        },
      },
    ],
  };
}

export const TEST_UDFS: readonly SqlFunction[] = [
  {
    name: 'BAD_UDF',
    description: 'Test UDF: throws when called, or when asked to, or returns NULL every other call.',
    overloads: [
      {
        params: [param('arg', SqlTypes.INTEGER)],
        returns: SqlTypes.STRING,
        invoke: () => {
          throw new Error('boom!');
        },
      },
      {
        params: [param('arg', SqlTypes.BOOLEAN)],
        returns: SqlTypes.INTEGER,
        invoke: ([shouldThrow]) => {
          if (shouldThrow === true) throw new Error('You asked me to throw...');
          return 0;
        },
      },
      {
        params: [param('arg', SqlTypes.STRING)],
        returns: SqlTypes.STRING,
        specialize: () => {
          let calls = 0;
          return ([value]) => (calls++ % 2 === 0 ? null : (value ?? null));
        },
      },
    ],
  },
  lazinessProbe('WHENCONDITION', SqlTypes.BOOLEAN, 'When condition'),
  lazinessProbe('WHENRESULT', SqlTypes.INTEGER, 'Then expression'),
];
