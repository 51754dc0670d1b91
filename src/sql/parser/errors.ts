// The one error the lexer and parser throw. It carries the facts an editor or the REST API needs (where,
// which token, what would have been accepted) and a hint when the mistake is a common one.
import type { SourcePosition } from './tokens.js';

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

/** `line 1:27: mismatched input 'FORM' expecting FROM`, in ksqlDB's manner, then the hint on its own line. */
function formatMessage(details: SqlParseErrorDetails): string {
  const where = `line ${details.pos.line}:${details.pos.column}`;
  let text: string;
  if (details.problem !== undefined) {
    text = `${where}: ${details.problem}`;
  } else {
    const input = details.token === '<EOF>' ? 'end of input' : `input ${details.token}`;
    text = `${where}: mismatched ${input}`;
    if (details.expected.length > 0) text += ` expecting ${formatExpected(details.expected)}`;
  }
  return details.hint === undefined ? text : `${text}\nHint: ${details.hint}`;
}

function formatExpected(expected: readonly string[]): string {
  const unique = [...new Set(expected)];
  if (unique.length === 1) return unique[0];
  return `one of {${unique.join(', ')}}`;
}
