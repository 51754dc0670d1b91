// Errors: where (line and column as ksqlDB counts them), the offending token, what was expected, and a
// hint for the mistakes people make most.
import { describe, expect, it } from 'vitest';
import { SqlParseError, parseExpression } from '../../../src/sql/parser/index.js';
import { parseError } from './helpers.js';

describe('syntax errors', () => {
  it("say 'line L:C: Syntax Error' and what was expected, and suggest the keyword meant", () => {
    const error = parseError('SELECT * FORM pageviews EMIT CHANGES;');
    expect(error).toBeInstanceOf(SqlParseError);
    expect(error.message).toBe("line 1:10: Syntax Error\nExpecting {',', FROM}\nHint: did you mean FROM?");
    expect([error.line, error.column, error.token]).toEqual([1, 10, "'FORM'"]);
    expect(error.expected).toEqual(["','", 'FROM']);
    expect(error.hint).toBe('did you mean FROM?');
  });

  it('count lines and columns from 1 across a script', () => {
    const error = parseError('SHOW STREAMS;\nSELECT * FROM s WHERE ;');
    expect([error.line, error.column, error.token]).toEqual([2, 23, "';'"]);
    expect(error.expected).toContain('an expression');
  });

  it('hint at a missing semicolon between statements', () => {
    const error = parseError('SHOW STREAMS\nSHOW TABLES');
    expect([error.line, error.column]).toEqual([2, 1]);
    expect(error.hint).toContain("missing ';'");
  });

  it('hint at backquotes when a reserved word is used as a name', () => {
    const error = parseError("CREATE STREAM s (id INT KEY, size INT) WITH (kafka_topic='t', format='JSON');");
    expect([error.column, error.token]).toEqual([30, "'size'"]);
    expect(error.hint).toBe('SIZE is a reserved word: to use it as a name, put it in backquotes: `size`');
    expect(() => parseError('CREATE STREAM s (id INT KEY, `size` INT)')).toThrow(/expected a parse error/);
  });

  it('hint at what is missing before a clause keyword', () => {
    expect(parseError('SELECT a, b, FROM s').hint).toBe("remove the ',' before FROM");
    expect(parseError('SELECT FROM s').hint).toBe('name the columns to select before FROM, or write *');
    expect(parseError('SELECT * FROM s WHERE GROUP BY a').hint).toBe('an expression is missing before GROUP');
  });

  it('hint at an unclosed and an unmatched parenthesis', () => {
    const unclosed = parseError('SELECT f(a, (b + 1) FROM s');
    expect(unclosed.token).toBe("'FROM'");
    const atEnd = parseError('SELECT * FROM s WHERE (a = 1');
    expect(atEnd.token).toBe('<EOF>');
    expect(atEnd.hint).toBe("a '(' is never closed: add the missing ')'");
    expect(parseError('SELECT * FROM s WHERE a = 1)').hint).toContain("no matching '('");
  });

  it('hint at single quotes used for a name', () => {
    expect(parseError("SELECT * FROM 'pageviews'").hint).toContain('backquotes');
  });

  it('keep positions true in a script with variables, counting the substituted text', () => {
    const error = parseError("DEFINE src = 's';\n  SHOW TABLES; SELECT * FROM ${src} WHERE;");
    // ${src} became s: the ';' at column 42 as written is at 37 in the text that was parsed.
    expect([error.line, error.column, error.token]).toEqual([2, 37, "';'"]);
  });

  it('hint at an undefined variable', () => {
    expect(parseError('SELECT * FROM ${src}').hint).toBe(
      "variable ${SRC} is not defined: DEFINE SRC = 'value'; before using it",
    );
  });

  it('refuse what ksqlDB refuses, at the same place', () => {
    // From ksqlDB's functional tests: a type given a parameter it cannot take, at line 1:32.
    const error = parseError(
      "CREATE STREAM INPUT (K STRING (KEY)) WITH (kafka_topic='input',value_format='JSON');",
    );
    expect([error.line, error.column]).toEqual([1, 32]);
    expect(error.expected).toEqual(["'STRING'", 'an integer']);
    expect(error.message).toBe("line 1:32: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}");
    expect(parseError("RUN SCRIPT 'foo';").message).toMatch(
      /^line 1:1: Syntax Error\nUnknown statement 'RUN'\n/,
    );
    expect(parseError('SELECT CAST(a AS NULL) FROM s;').message).toBe(
      "line 1:18: Syntax Error\nSyntax error at or near 'NULL' at line 1:18",
    );
    expect(parseError('SELECT * FROM S1 ORDER BY MYKEY DESC;').column).toBe(24);
    expect(parseError('SELECT * FROM s WHERE id IN ()').column).toBe(30);
    expect(parseError('CREATE TABLE o AS SELECT COUNT(*) FROM t GROUP BY a AND b').token).toBe("'AND'");
    expect(parseError("CREATE STREAM s (c NULL) WITH (kafka_topic='t')").token).toBe("'NULL'");
    expect(parseError("RUN SCRIPT 'foo';").hint).toContain('CLI');
  });

  it('say when a number does not fit BIGINT, and when LIMIT is not a whole number', () => {
    expect(parseError('9223372036854775808', parseExpression).message).toBe(
      'Failed to prepare statement: line 1:2: Invalid numeric literal: 9223372036854775808',
    );
    expect(parseError('SELECT 1.7976931348623159E308 FROM s').message).toBe(
      'Failed to prepare statement: line 1:9: Number overflows DOUBLE: 1.7976931348623159E308',
    );
    expect(parseError('SELECT * FROM s LIMIT 2.5').message).toBe(
      'Failed to prepare statement: Value must be integer for command: LIMIT',
    );
    expect(parseError('CREATE STREAM o AS SELECT * FROM s LIMIT 5;').message).toBe(
      "Failed to prepare statement: CREATE STREAM AS SELECT statements don't support LIMIT clause.",
    );
    expect(parseError('SELECT * FROM s WINDOW TUMBLING (SIZE -1 SECONDS)').message).toContain('not -1');
  });

  it('stop parseExpression at trailing input', () => {
    expect(parseError('a b', parseExpression).expected).toContain('end of input');
  });
});
