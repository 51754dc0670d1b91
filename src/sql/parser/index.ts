// The first stage of Venice's streaming SQL component: ksqlDB's dialect, from text to a typed AST.
//
// Hand-written (recursive descent, one function per precedence level for expressions) rather than
// generated: ksqlDB's grammar is ANTLR, and the npm parser libraries that fit Node 20 either need a
// generation step and a runtime (antlr4ng, chevrotain), or are general SQL dialects (node-sql-parser)
// that do not know streams, windows, EMIT or lambdas. A hand-written parser has no dependency, keeps
// positions exact, and lets each error say what to do (errors.ts, hints.ts).
//
// The sql component's stages, each its own folder (see src/sql/README.md):
// parser (this) → planner → runtime, with functions (the function registry) and server (REST, port 8088).
import type { Expression, Statement } from './ast.js';
import { TokenCursor } from './cursor.js';
import { parseExpressionAt } from './expressions.js';
import { tokenize } from './lexer.js';
import { parseStatement } from './statements.js';
import { substituteVariables, type Variables } from './variables.js';

export type * from './ast.js';
export { SqlParseError } from './errors.js';
export { substituteVariables, type Variables } from './variables.js';
export { tokenize } from './lexer.js';

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
  const variables = new Map(options.variables ?? []);
  if (variables.size === 0 && !/define/i.test(text)) return parseScript(text);
  // With variables, each statement is substituted with the variables defined so far, then parsed.
  const statements: Statement[] = [];
  for (const piece of splitStatements(text)) {
    const substituted = substituteVariables(piece, variables);
    for (const statement of parseScript(substituted)) {
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

function parseScript(text: string): Statement[] {
  const cursor = new TokenCursor(text, tokenize(text));
  const statements: Statement[] = [];
  for (;;) {
    while (cursor.trySymbol(';'));
    if (cursor.atEnd()) return statements;
    statements.push(parseStatement(cursor));
    if (cursor.atEnd()) return statements;
    if (!cursor.acceptSymbol(';')) throw cursor.error();
  }
}

/**
 * Splits a script at top-level `;` by its tokens, so that a `;` inside a string or a comment does not
 * split. Each piece keeps its original text (and line breaks before it, so lines stay right).
 */
function splitStatements(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const token of tokenize(text)) {
    if (token.kind === 'symbol' && token.value === ';') {
      pieces.push(padded(text, start, token.end));
      start = token.end;
    }
  }
  if (text.slice(start).trim() !== '') pieces.push(padded(text, start, text.length));
  return pieces;
}

/** The piece, preceded by blank text of the same shape as what precedes it, so positions stay true. */
function padded(text: string, start: number, end: number): string {
  return text.slice(0, start).replace(/[^\n]/g, ' ') + text.slice(start, end);
}
