// The one PostgreSQL session PGlite has, shared by every client of the front. A client leases it for
// as long as it must not be interleaved with others: from its first message until a ReadyForQuery says
// the session is idle again ('I'), so a transaction, or an extended-protocol batch up to its Sync, runs
// whole. Leases are granted in the order they were asked for.
//
// Everything goes through execProtocolRawStream: PGlite keeps the stream callback of the last call,
// so mixing in its query()/exec() after the first raw call would send their output to a stale client.
import type { PGlite } from '@electric-sql/pglite';
import {
  BackendMessageSplitter,
  responseFields,
  simpleQuery,
  type TransactionStatus,
  type TypedMessage,
} from './wire.js';

export interface SessionLease {
  /**
   * Hands one message (or a run of messages PGlite must see together) to PGlite; `onMessages` gets
   * the backend messages as whole messages as they come. Resolves with the status of the last
   * ReadyForQuery written, or null when there was none (a Parse before its Sync).
   */
  send(message: Buffer, onMessages?: (messages: TypedMessage[]) => void): Promise<TransactionStatus | null>;
  release(): void;
}

export interface QueryOutcome {
  rows: (string | null)[][];
  /** The message of the ErrorResponse, if the statement failed. */
  error: string | null;
}

export class SessionBrokenError extends Error {
  override name = 'SessionBrokenError';
}

export class SharedSession {
  private holder: object | null = null;
  private readonly waiters: { resolve: (lease: SessionLease) => void; reject: (error: Error) => void }[] = [];
  private broken: Error | null = null;

  constructor(
    private readonly db: PGlite,
    /** Called once if PGlite itself fails (its WebAssembly exited): the process cannot go on. */
    private readonly onBroken: (error: Error) => void,
  ) {}

  /** Clients waiting for the session. */
  get waiting(): number {
    return this.waiters.length;
  }

  get leased(): boolean {
    return this.holder !== null;
  }

  acquire(): Promise<SessionLease> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.holder === null) return Promise.resolve(this.newLease());
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Runs SQL as a simple query in a lease of its own (for the component itself: checkpoint, settings). */
  async query(sql: string): Promise<QueryOutcome> {
    const lease = await this.acquire();
    try {
      const outcome: QueryOutcome = { rows: [], error: null };
      await lease.send(simpleQuery(sql), (messages) => {
        for (const message of messages)
          if (message.type === 'D') outcome.rows.push(dataRowValues(message.body));
          else if (message.type === 'E') outcome.error ??= responseFields(message.body).get('M') ?? 'error';
      });
      return outcome;
    } finally {
      lease.release();
    }
  }

  private newLease(): SessionLease {
    const token = {};
    this.holder = token;
    let released = false;
    return {
      send: (message, onMessages) => {
        if (released) return Promise.reject(new Error('the session lease was released'));
        return this.exchange(message, onMessages);
      },
      release: () => {
        if (released) return;
        released = true;
        this.holder = null;
        const next = this.waiters.shift();
        if (next) next.resolve(this.newLease());
      },
    };
  }

  private async exchange(
    message: Buffer,
    onMessages?: (messages: TypedMessage[]) => void,
  ): Promise<TransactionStatus | null> {
    if (this.broken) throw this.broken;
    const splitter = new BackendMessageSplitter();
    let status: TransactionStatus | null = null;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(message, {
          onRawData: (chunk) => {
            const messages = splitter.push(chunk);
            for (const backend of messages)
              if (backend.type === 'Z') status = String.fromCharCode(backend.body[0]!) as TransactionStatus;
            if (messages.length > 0) onMessages?.(messages);
          },
        }),
      );
    } catch (error) {
      this.fail(error);
      throw this.broken!;
    }
    return status;
  }

  private fail(error: unknown): void {
    if (this.broken) return;
    const detail = error instanceof Error ? error.message : JSON.stringify(error);
    this.broken = new SessionBrokenError(`the embedded PostgreSQL stopped working: ${detail}`);
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.broken);
    this.onBroken(this.broken);
  }
}

/** The text values of a DataRow. */
function dataRowValues(body: Buffer): (string | null)[] {
  const count = body.readInt16BE(0);
  const values: (string | null)[] = [];
  let offset = 2;
  for (let column = 0; column < count; column++) {
    const length = body.readInt32BE(offset);
    offset += 4;
    if (length < 0) values.push(null);
    else {
      values.push(body.toString('utf8', offset, offset + length));
      offset += length;
    }
  }
  return values;
}
