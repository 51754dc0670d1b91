// The SQL shell's pieces that need no server: cutting text into statements, telling them apart,
// completion, and numbers kept exact when rows are printed.
import { describe, expect, it } from 'vitest';
import { Completions } from '../../src/cli/ksql/completion.js';
import { cellText, parseJsonText } from '../../src/cli/ksql/json-text.js';
import { splitStatements } from '../../src/cli/ksql/script.js';

describe('splitStatements', () => {
  it('cuts at ; outside strings, quoted names and comments; the rest is still being typed', () => {
    const split = splitStatements(
      "SELECT 'a;b' AS `x;y` FROM S; -- c;\nSHOW /* ; */ STREAMS;\nCREATE STREAM",
    );
    expect(split.statements.map((s) => s.text)).toEqual([
      "SELECT 'a;b' AS `x;y` FROM S;",
      'SHOW /* ; */ STREAMS;',
    ]);
    expect(split.statements.map((s) => s.kind)).toEqual(['query', 'statement']);
    expect(split.rest.trim()).toBe('CREATE STREAM');
  });

  it('an unterminated string keeps the statement open', () => {
    const split = splitStatements("SHOW STREAMS;\nINSERT INTO S VALUES ('it;s");
    expect(split.statements.map((s) => s.text)).toEqual(['SHOW STREAMS;']);
    expect(split.rest).toContain("'it;s");
  });

  it('SET, UNSET, DEFINE and UNDEFINE belong to the shell', () => {
    const split = splitStatements(
      "SET 'auto.offset.reset' = 'earliest'; UNSET 'auto.offset.reset'; DEFINE topic = 'orders'; UNDEFINE topic; PRINT 'orders';",
    );
    expect(split.statements.map(({ kind, name, value }) => ({ kind, name, value }))).toEqual([
      { kind: 'set', name: 'auto.offset.reset', value: 'earliest' },
      { kind: 'unset', name: 'auto.offset.reset', value: undefined },
      { kind: 'define', name: 'topic', value: 'orders' },
      { kind: 'undefine', name: 'topic', value: undefined },
      { kind: 'print', name: undefined, value: undefined },
    ]);
  });
});

describe('Completions', () => {
  it('completes keywords in the case typed, and learned stream and column names', () => {
    const completions = new Completions();
    completions.learn([
      {
        '@type': 'streams',
        statementText: '',
        warnings: [],
        streams: [
          {
            type: 'STREAM',
            name: 'ORDERS',
            topic: 'o',
            keyFormat: 'KAFKA',
            valueFormat: 'JSON',
            isWindowed: false,
          },
        ],
      },
    ]);
    expect(completions.complete('SEL')).toEqual([['SELECT'], 'SEL']);
    expect(completions.complete('sel')).toEqual([['select'], 'sel']);
    expect(completions.complete('SELECT * FROM ORD')[0]).toEqual(['ORDERS']);
    expect(completions.complete('SELECT * FROM ')).toEqual([[], '']);
  });
});

describe('parseJsonText', () => {
  it('keeps numbers as written', () => {
    const row = parseJsonText('["a",9223372036854775807,1.10,null,{"K":[1,2]}]');
    expect(Array.isArray(row) && row.map(cellText)).toEqual([
      'a',
      '9223372036854775807',
      '1.10',
      'null',
      '{K=[1, 2]}',
    ]);
  });
});
