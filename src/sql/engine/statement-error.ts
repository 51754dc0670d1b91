// A statement the engine refuses (a name taken, a topic missing, a query still reading a source): the
// message is ksqlDB's, and the engine answers it as error 40001 with the statement's text.
export class StatementError extends Error {
  override readonly name = 'StatementError';
  constructor(
    message: string,
    /** The statement as ksqlDB quotes it for this error, when not as written (rewritten by its sanitizer). */
    readonly statementText?: string,
  ) {
    super(message);
  }
}
