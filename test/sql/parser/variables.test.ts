// Variable substitution: DEFINE name = 'value'; then ${name} stands for the value, before parsing.
import { describe, expect, it } from 'vitest';
import { parseStatements, substituteVariables } from '../../../src/sql/parser/index.js';
import { parseError } from './helpers.js';

describe('substituteVariables', () => {
  it('replaces defined references, by name regardless of case, inside strings too', () => {
    const variables = new Map([['TOPIC', 'orders']]);
    expect(substituteVariables("PRINT '${topic}' -- ${Topic}", variables)).toBe("PRINT 'orders' -- orders");
  });

  it('leaves undefined references as written', () => {
    expect(substituteVariables('SELECT ${a} FROM ${b}', new Map([['A', 'x']]))).toBe('SELECT x FROM ${b}');
  });
});

describe('variables in a script', () => {
  it('apply from the statement after their DEFINE, and stop at UNDEFINE', () => {
    const statements = parseStatements("DEFINE col = 'price'; SELECT ${col} FROM s; UNDEFINE col;", {});
    expect(statements[1]).toMatchObject({ kind: 'QueryStatement', text: 'SELECT price FROM s;' });
    const error = parseError("DEFINE col = 'price'; UNDEFINE col; SELECT ${col} FROM s;");
    expect(error.hint).toContain('DEFINE COL');
  });

  it('may stand for any text, such as a whole condition', () => {
    const [, query] = parseStatements("DEFINE cond = 'a > 1 AND b < 2'; SELECT * FROM s WHERE ${cond};");
    expect(query).toMatchObject({ query: { where: { kind: 'LogicalBinary', operator: 'AND' } } });
  });
});
