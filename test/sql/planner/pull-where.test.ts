// A pull query's WHERE on a table as ksqlDB's QueryFilterNode checks it: with table scans off, each
// disjunct must look every key up; keys looked up must be values of the key's type, scans on or off.
import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../../src/sql/parser/index.js';
import { expressionText } from '../../../src/sql/planner/expression-text.js';
import { checkPullWhere, disjuncts } from '../../../src/sql/planner/pull-where.js';
import type { LogicalSchema } from '../../../src/sql/planner/schema.js';
import { SqlTypes } from '../../../src/sql/types/index.js';

const intKey: LogicalSchema = {
  key: [{ name: 'ID', type: SqlTypes.INTEGER, namespace: 'KEY' }],
  value: [{ name: 'COUNT', type: SqlTypes.BIGINT, namespace: 'VALUE' }],
};
const twoKeys: LogicalSchema = {
  key: [
    { name: 'ID1', type: SqlTypes.STRING, namespace: 'KEY' },
    { name: 'ID2', type: SqlTypes.INTEGER, namespace: 'KEY' },
  ],
  value: [{ name: 'COUNT', type: SqlTypes.BIGINT, namespace: 'VALUE' }],
};

const check =
  (where: string, schema = intKey, tableScans = false, windowed = false) =>
  () =>
    checkPullWhere(parseExpression(where), schema, windowed, tableScans);

describe('a pull query WHERE', () => {
  it('is split into disjuncts, IN and BETWEEN expanded', () => {
    const texts = disjuncts(parseExpression('ID IN (1, 2) AND (COUNT = 3 OR COUNT BETWEEN 4 AND 5)')).map(
      expressionText,
    );
    expect(texts).toEqual([
      '((ID = 1) AND (COUNT = 3))',
      '((ID = 1) AND ((COUNT >= 4) AND (COUNT <= 5)))',
      '((ID = 2) AND (COUNT = 3))',
      '((ID = 2) AND ((COUNT >= 4) AND (COUNT <= 5)))',
    ]);
  });

  it('without table scans, refuses what needs one with ksqlDB messages', () => {
    expect(check('ID = 10 OR ID = 11')).not.toThrow();
    expect(check('COUNT = 100')).toThrow('WHERE clause missing key column for disjunct: (COUNT = 100).');
    expect(check('ID + 10 = 20')).toThrow('A comparison must directly reference a key column.');
    expect(check('ID = COUNT')).toThrow(
      'A comparison must be between a key column and a resolvable expression.',
    );
    expect(check('ID = 10 AND ID IN (1, 2)')).toThrow(
      'A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate',
    );
    expect(check("ID1 = 'a'", twoKeys)).toThrow(
      'Multi-column sources must specify every key in the WHERE clause',
    );
    expect(check('ID >= 12')).toThrow('Query requires table scan to be enabled.');
    expect(check("ID1 >= 'a' AND ID2 = 1", twoKeys)).not.toThrow();
  });

  it('with table scans, answers any WHERE but still refuses a bad key lookup', () => {
    expect(check('COUNT = 100', intKey, true)).not.toThrow();
    expect(check('ID >= 12', intKey, true)).not.toThrow();
    expect(check("ID IN ('10', 8)", intKey, true)).toThrow(
      "'10' can not be converted to the type of the key column: ID INTEGER KEY",
    );
    expect(check('ID IN (NULL)', intKey, true)).toThrow('Primary key columns can not be NULL: (ID = null)');
    expect(check("ID IN ('10') OR COUNT = 1", intKey, true)).not.toThrow();
  });
});
