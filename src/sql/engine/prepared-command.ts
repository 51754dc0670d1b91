// A statement that changes the engine's state, checked and ready: the engine appends it to the command
// topic, then applies it with the sequence number the topic gave it (which names its query, if any).

export interface CommandResult {
  /** commandStatus.message, as ksqlDB words it. */
  readonly message: string;
  /** The persistent query it started (CSAS, CTAS, INSERT INTO ... SELECT). */
  readonly queryId?: string;
}

export interface PreparedCommand {
  /** ksqlDB's command id: `stream/`S`/create`, `terminate/CSAS_S_1/execute`, ... */
  readonly commandId: string;
  /** What the command topic records, when not the statement as written (columns read from the registry). */
  readonly loggedStatement?: string;
  apply(sequence: number): Promise<CommandResult>;
}
