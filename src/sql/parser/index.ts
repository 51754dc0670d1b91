// The first stage of Venice's streaming SQL component: ksqlDB's dialect, from text to a typed AST.
//
// Hand-written (recursive descent, one function per precedence level for expressions) rather than built
// on a library. Checked with `npm view` on 2026-12-05: chevrotain 13 requires Node >= 22 (Venice supports
// 20.19); antlr4ng could run ksqlDB's own grammar, but that grammar is under the Confluent Community
// License and generating from it needs the Java ANTLR tool; node-sql-parser (5.4) knows MySQL, PostgreSQL
// and other database dialects, not streams, windows, EMIT or lambdas. Without a dependency, positions are
// exact and each error can say what to do (errors.ts, hints.ts).
//
// The sql component's stages, each its own folder (see src/sql/README.md):
// parser (this) → planner → runtime, with functions (the function registry) and server (REST, port 8088).
import type { Expression, Statement } from './ast.js';
import { TokenCursor } from './cursor.js';
import { parseExpressionAt } from './expressions.js';
import { tokenize, type TextOrigin } from './lexer.js';
import type { Token } from './tokens.js';
import { parseStatement } from './statements.js';
import { substituteVariables, type Variables } from './variables.js';

export type * from './ast.js';
export { SqlParseError } from './errors.js';
export { substituteVariables, type Variables } from './variables.js';
export { tokenize, type TextOrigin } from './lexer.js';

export interface ParseOptions {
  /**
   * Variables defined before the text (by earlier requests of a session, or the REST request's
   * `sessionVariables`). DEFINE and UNDEFINE statements in the text change them for the statements after.
   */
  readonly variables?: Variables;
}

/**
 * Parses a script: statements separated by `;` (the last one may omit it), with `--` and `/* *\/`
 * comments. Throws SqlParseError at the first error.
 */
export function parseStatements(text: string, options: ParseOptions = {}): Statement[] {
  const tokens = tokenize(text);
  const defines = tokens.some(
    (token) => token.kind === 'word' && (token.value === 'DEFINE' || token.value === 'UNDEFINE'),
  );
  if (options.variables === undefined && !defines) return parseTokens(text, tokens);
  // With variables, each statement is substituted with the variables defined so far, then parsed.
  const variables = new Map(options.variables ?? []);
  const statements: Statement[] = [];
  for (const piece of splitStatements(text, tokens)) {
    const substituted = substituteVariables(piece.text, variables);
    for (const statement of parseTokens(substituted, tokenize(substituted, piece.origin))) {
      statements.push(statement);
      if (statement.kind === 'DefineVariable') variables.set(statement.name, statement.value);
      if (statement.kind === 'UndefineVariable') variables.delete(statement.name);
    }
  }
  return statements;
}

/** Parses one expression, such as a WHERE condition typed alone. */
export function parseExpression(text: string): Expression {
  const cursor = new TokenCursor(text, tokenize(text));
  const expression = parseExpressionAt(cursor);
  if (!cursor.atEnd()) {
    cursor.expect('end of input');
    throw cursor.error();
  }
  return expression;
}

function parseTokens(text: string, tokens: readonly Token[]): Statement[] {
  const cursor = new TokenCursor(text, tokens);
  const statements: Statement[] = [];
  for (;;) {
    while (cursor.trySymbol(';'));
    if (cursor.atEnd()) return statements;
    cursor.startStatement();
    const statement = parseStatement(cursor);
    if (cursor.atEnd()) {
      statements.push(statement);
      return statements;
    }
    if (!cursor.acceptSymbol(';')) throw cursor.error();
    // ksqlDB's statement text runs to its ';' (the grammar's singleStatement), and its answers echo it.
    statements.push({ ...statement, text: text.slice(statement.pos.offset, cursor.previous().end) });
  }
}

/**
 * Splits a script after each top-level `;` (a token, so not one inside a string or a comment). Each piece
 * keeps the line and column where it starts, so that positions in errors and AST nodes stay true; offsets
 * are into the piece, which is also what a statement's `text` is cut from.
 */
function splitStatements(text: string, tokens: readonly Token[]): { text: string; origin: TextOrigin }[] {
  const pieces: { text: string; origin: TextOrigin }[] = [];
  let start = 0;
  let origin: TextOrigin = { line: 1, column: 1 };
  for (const token of tokens) {
    if (token.kind === 'symbol' && token.value === ';') {
      pieces.push({ text: text.slice(start, token.end), origin });
      start = token.end;
      origin = { line: token.pos.line, column: token.pos.column + 1 };
    }
  }
  if (text.slice(start).trim() !== '') pieces.push({ text: text.slice(start), origin });
  return pieces;
}
