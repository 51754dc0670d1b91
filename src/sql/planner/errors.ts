// The planner's one error: a statement that does not make sense against the catalog (unknown column,
// type mismatch, a key missing from a projection). The message is ksqlDB's where it has one, prefixed
// with the position (`Line: 1, Col: 15: ...`) when the error belongs to one expression.
import type { SourcePosition } from '../parser/index.js';

export class SqlAnalysisError extends Error {
  override readonly name: string = 'SqlAnalysisError';
  /** The message without the position, for wrapping into a clause's message. */
  readonly detail: string;
  constructor(
    message: string,
    /** Where the offending expression starts, when there is one. */
    readonly pos?: SourcePosition,
    /** The text ksqlDB quotes as the error's statement when not the whole statement (a WHERE's). */
    readonly statementText?: string,
  ) {
    super(pos === undefined ? message : `${positionPrefix(pos)}${message}`);
    this.detail = message;
  }
}

/**
 * An error ksqlDB meets only when it generates the expression's code, not while it analyses the
 * statement (an unsupported CAST): a SELECT words it `Invalid Select: ...` without a position.
 */
export class CodeGenerationError extends SqlAnalysisError {
  override readonly name: string = 'CodeGenerationError';
}

/** `Line: 2, Col: 7: ` as ksqlDB prefixes the errors of an expression it locates when it analyses. */
export function positionPrefix(pos: SourcePosition): string {
  return `Line: ${pos.line}, Col: ${pos.column}: `;
}

/**
 * ksqlDB finds an unknown source qualifier (`X.COL`, `X.*`) while it builds the AST, so its message is
 * worded as a failure to prepare the statement, without a position.
 */
export function unknownQualifierError(qualifier: string): SqlAnalysisError {
  return new SqlAnalysisError(
    `Failed to prepare statement: '${qualifier}' is not a valid stream/table name or alias.`,
  );
}
