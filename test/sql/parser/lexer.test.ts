// The lexer: token kinds, case, quoting, numbers, comments, and positions.
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/sql/parser/index.js';
import { parseError } from './helpers.js';

function kinds(text: string) {
  return tokenize(text).map((token) => [token.kind, token.value]);
}

describe('lexer', () => {
  it('upper-cases words and keeps the case of quoted identifiers', () => {
    expect(kinds('select `MixedCase`, "Other" from t')).toEqual([
      ['word', 'SELECT'],
      ['quotedIdentifier', 'MixedCase'],
      ['symbol', ','],
      ['quotedIdentifier', 'Other'],
      ['word', 'FROM'],
      ['word', 'T'],
      ['eof', ''],
    ]);
  });

  it("unescapes doubled quotes in strings and identifiers: 'it''s', `a``b`", () => {
    expect(kinds("'it''s' `a``b`").slice(0, 2)).toEqual([
      ['string', "it's"],
      ['quotedIdentifier', 'a`b'],
    ]);
  });

  it('tells integers, decimals, exponents and identifiers that start with a digit apart', () => {
    expect(kinds('1 1.5 .5 2. 1e3 1.5E-2 1ST_COL').slice(0, 7)).toEqual([
      ['integer', '1'],
      ['decimal', '1.5'],
      ['decimal', '.5'],
      ['decimal', '2.'],
      ['float', '1e3'],
      ['float', '1.5E-2'],
      ['digitIdentifier', '1ST_COL'],
    ]);
  });

  it('reads the longest symbol: <= <> != := -> => ||', () => {
    expect(kinds('<= <> != := -> => || <').map(([, value]) => value)).toEqual([
      '<=', '<>', '!=', ':=', '->', '=>', '||', '<', '',
    ]); // prettier-ignore
  });

  it('skips -- and /* */ comments, counting lines inside them', () => {
    const tokens = tokenize('-- a comment\nSELECT /* two\nlines */ x');
    expect(tokens.map((token) => [token.value, token.pos.line, token.pos.column])).toEqual([
      ['SELECT', 2, 1],
      ['X', 3, 10],
      ['', 3, 11],
    ]);
  });

  it('keeps unsubstituted variables as their own token', () => {
    expect(kinds('${my_var}')[0]).toEqual(['variable', 'MY_VAR']);
  });

  it('points at the opening quote of an unterminated string and says how to close it', () => {
    const error = parseError("SELECT * FROM t WHERE a = 'abc");
    expect([error.line, error.column]).toEqual([1, 27]);
    expect(error.message).toContain('unterminated string');
    expect(error.hint).toContain("'it''s'");
  });

  it('reports an unterminated comment and a stray character', () => {
    expect(parseError('SELECT /* never closed').message).toMatch(
      /^line 1:8: Syntax Error\nunterminated comment/,
    );
    const stray = parseError('SELECT a # b FROM t');
    expect([stray.column, stray.token]).toEqual([10, "'#'"]);
  });

  it('suggests backquotes for a name with non-ASCII letters', () => {
    expect(parseError('SELECT café FROM t').hint).toContain('backquotes');
  });
});
