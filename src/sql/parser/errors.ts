// The one error the lexer and parser throw. It carries the facts an editor or the REST API needs (where,
// which token, what would have been accepted) and a hint when the mistake is a common one.
import { STATEMENT_KEYWORDS, type SourcePosition } from './tokens.js';

export interface SqlParseErrorDetails {
  readonly pos: SourcePosition;
  /** The offending token as written, or `<EOF>`. */
  readonly token: string;
  /** What the parser would have accepted there, as shown to the user: `FROM`, `')'`, `an expression`. */
  readonly expected: readonly string[];
  /** The problem in a few words when "mismatched input" would not say it (an unterminated string...). */
  readonly problem?: string;
  /** What to do about it, when the mistake is recognisable. */
  readonly hint?: string;
  /**
   * The problem is one ksqlDB finds while building the AST (a literal out of range), not a syntax error;
   * `located`: whether ksqlDB's message gives the position.
   */
  readonly whilePreparing?: { readonly located: boolean };
}

export class SqlParseError extends Error {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly token: string;
  readonly expected: readonly string[];
  readonly hint: string | undefined;

  constructor(details: SqlParseErrorDetails) {
    super(formatMessage(details));
    this.name = 'SqlParseError';
    this.line = details.pos.line;
    this.column = details.pos.column;
    this.offset = details.pos.offset;
    this.token = details.token;
    this.expected = details.expected;
    this.hint = details.hint;
  }
}

/**
 * ksqlDB's shape: `line 1:27: Syntax Error`, then a line saying what went wrong, then the hint. The
 * second line is ksqlDB's where it has one (`Unknown statement 'X'`, `Expecting {',', FROM}` for up to
 * three alternatives, `Syntax error at or near 'X' at line 1:27` where a rule had no alternative for
 * the token); where ksqlDB says nothing more, it is the mismatched input and what was expected.
 * A problem found while building the AST (a literal out of range) is worded as ksqlDB prepares it.
 */
function formatMessage(details: SqlParseErrorDetails): string {
  const { line, column } = details.pos;
  let text: string;
  if (details.whilePreparing !== undefined && details.problem !== undefined) {
    // ksqlDB counts this column from 1 twice over (its AST location, then the exception): one more.
    const where = details.whilePreparing.located ? `line ${line}:${column + 1}: ` : '';
    text = `Failed to prepare statement: ${where}${details.problem}`;
  } else {
    text = `line ${line}:${column}: Syntax Error\n${syntaxDetail(details)}`;
  }
  return details.hint === undefined ? text : `${text}\nHint: ${details.hint}`;
}

/** ANTLR's names for what the parser describes in words; the others have no short ANTLR form. */
const ANTLR_NAMES: Readonly<Record<string, string>> = { 'an integer': 'INTEGER_VALUE', 'a string': 'STRING' };
/** Descriptions that stand for a rule with many alternatives, where ANTLR finds no viable one. */
const RULES = new Set(['a type', 'an expression']);

function syntaxDetail(details: SqlParseErrorDetails): string {
  if (details.problem !== undefined) return details.problem;
  const { expected, token } = details;
  const bare = token.startsWith("'") && token.endsWith("'") ? token.slice(1, -1) : token;
  if (expected.length === STATEMENT_KEYWORDS.size && expected.every((e) => STATEMENT_KEYWORDS.has(e))) {
    return `Unknown statement '${bare}'`;
  }
  const names = expected.map((e) => (e.startsWith("'") || /^[A-Z_]+$/.test(e) ? e : ANTLR_NAMES[e]));
  if (names.length > 0 && names.length <= 3 && names.every((n) => n !== undefined)) {
    return `Expecting ${names.length === 1 ? names[0] : `{${names.join(', ')}}`}`;
  }
  if (expected.length === 1 && RULES.has(expected[0] ?? '') && token !== '<EOF>') {
    return `Syntax error at or near '${bare}' at line ${details.pos.line}:${details.pos.column}`;
  }
  const input = token === '<EOF>' ? 'end of input' : `input ${token}`;
  return expected.length === 0
    ? `mismatched ${input}`
    : `mismatched ${input} expecting ${formatExpected(expected)}`;
}

function formatExpected(expected: readonly string[]): string {
  const unique = [...new Set(expected)];
  if (unique.length === 1) return unique[0];
  return `one of {${unique.join(', ')}}`;
}
