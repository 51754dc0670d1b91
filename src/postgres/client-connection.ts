// One client of the front: the startup handshake answered here (PGlite has one session, started
// once), then each whole message passed to the shared session under a lease (session.ts), with the
// client's statement and portal names made its own (statement-names.ts). When the client goes, what it
// left in the session goes too: an open transaction is rolled back and its prepared statements closed.
import crypto from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from '../service/index.js';
import { EMBEDDED_DATABASE } from './defaults.js';
import type { SessionLease, SharedSession } from './session.js';
import { prefixNames, replaceParseQuery } from './statement-names.js';
import {
  authenticationOk,
  backendKeyData,
  CANCEL_REQUEST_CODE,
  closeStatement,
  copyInResponse,
  errorResponse,
  GSS_ENCRYPTION_REQUEST_CODE,
  MessageReader,
  negotiateProtocolVersion,
  parameterStatus,
  ProtocolViolation,
  readyForQuery,
  simpleQuery,
  SSL_REQUEST_CODE,
  startupParameters,
  syncMessage,
  type TypedMessage,
} from './wire.js';

/** A COPY ... FROM STDIN statement: PGlite can only take it together with all of its data. */
const COPY_FROM_STDIN = /(^|;)\s*copy\s[^;]*?\bfrom\s+stdin\b/i;
/** What a Parse of COPY FROM STDIN runs instead: an error at Execute, in the client's own batch. */
const COPY_IN_EXTENDED_REFUSED =
  "DO $venice$BEGIN RAISE EXCEPTION 'COPY FROM STDIN is supported in simple queries only by the embedded PostgreSQL' " +
  "USING ERRCODE = 'feature_not_supported'; END$venice$";
/** Reading from the client pauses while this much waits for the session. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export interface ClientConnectionOptions {
  id: number;
  socket: Socket;
  session: SharedSession;
  /** The ParameterStatus values PGlite gave its own startup, sent to each client at its startup. */
  parameters: ReadonlyMap<string, string>;
  logger: Logger;
}

export class ClientConnection {
  readonly id: number;
  private readonly socket: Socket;
  private readonly session: SharedSession;
  private readonly logger: Logger;
  private readonly reader = new MessageReader();
  private readonly queue: TypedMessage[] = [];
  private queuedBytes = 0;
  private lease: SessionLease | null = null;
  private pumping = false;
  private closed = false;
  /** The client's prepared statements, by their prefixed names. */
  private readonly statements = new Set<string>();
  /** The messages of a COPY FROM STDIN collected so far, from its Query on. */
  private copy: Buffer[] | null = null;
  private readonly prefix: string;
  /** Resolves once the client is gone and what it left in the session is cleaned up. */
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(private readonly options: ClientConnectionOptions) {
    this.id = options.id;
    this.socket = options.socket;
    this.session = options.session;
    this.logger = options.logger;
    this.prefix = `venice_c${options.id}_`;
    this.finished = new Promise((resolve) => (this.finish = resolve));
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', () => {}); // 'close' follows; a reset client is an ordinary way to leave
    this.socket.on('close', () => this.onClose());
  }

  /** Ends the connection; its cleanup runs as for a client that left. */
  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.reader.push(chunk);
    try {
      while (!this.closed) {
        if (!this.reader.startupDone) {
          const packet = this.reader.nextStartup();
          if (!packet) break;
          this.onStartupPacket(packet.code, packet.body);
          continue;
        }
        const message = this.reader.nextTyped();
        if (!message) break;
        if (message.type === 'X') {
          // Terminate: nothing after it is answered.
          this.closed = true;
          this.queue.length = 0;
          this.socket.end();
          return;
        }
        this.queue.push(message);
        this.queuedBytes += message.raw.length;
      }
    } catch (error) {
      if (!(error instanceof ProtocolViolation)) throw error;
      this.refuse('08P01', `protocol violation: ${error.message}`);
      return;
    }
    if (this.queuedBytes > MAX_QUEUED_BYTES) this.socket.pause();
    void this.pump();
  }

  private onStartupPacket(code: number, body: Buffer): void {
    if (code === SSL_REQUEST_CODE || code === GSS_ENCRYPTION_REQUEST_CODE) {
      this.socket.write('N'); // no TLS: the client goes on in the clear, or gives up if it requires TLS
      return;
    }
    if (code === CANCEL_REQUEST_CODE) {
      // PGlite runs one statement at a time in this process and cannot be interrupted.
      this.socket.end();
      return;
    }
    if (code >>> 16 !== 3) {
      this.refuse(
        '0A000',
        `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: the server speaks 3.0`,
      );
      return;
    }
    const parameters = startupParameters(body);
    const user = parameters.get('user') ?? '';
    const database = parameters.get('database') || user;
    if (database !== EMBEDDED_DATABASE) {
      this.refuse(
        '3D000',
        `database "${database}" does not exist`,
        `the embedded PostgreSQL has one database, ${EMBEDDED_DATABASE}: connect to it (psql -d ${EMBEDDED_DATABASE})`,
      );
      return;
    }
    const replies: Buffer[] = [];
    const unrecognised = [...parameters.keys()].filter((key) => key.startsWith('_pq_.'));
    if ((code & 0xffff) !== 0 || unrecognised.length > 0)
      replies.push(negotiateProtocolVersion(unrecognised));
    replies.push(authenticationOk());
    for (const [name, value] of this.options.parameters)
      replies.push(parameterStatus(name, name === 'application_name' ? (parameters.get(name) ?? '') : value));
    replies.push(backendKeyData(this.id, crypto.randomInt(2 ** 31)), readyForQuery('I'));
    this.socket.write(Buffer.concat(replies));
    this.reader.startupDone = true;
    this.logger.debug(
      { client: this.id, user, application: parameters.get('application_name') },
      'client connected',
    );
  }

  /** A FATAL error, then the connection closes (as PostgreSQL ends a connection it refuses). */
  private refuse(code: string, message: string, hint?: string): void {
    this.socket.end(errorResponse({ severity: 'FATAL', code, message, hint }));
    this.closed = true;
  }

  /** Hands the queued messages to the session one at a time, in order. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const message = this.queue.shift()!;
        this.queuedBytes -= message.raw.length;
        if (this.socket.isPaused() && this.queuedBytes < MAX_QUEUED_BYTES / 2) this.socket.resume();
        await this.process(message);
      }
    } catch (error) {
      this.logger.warn({ err: error, client: this.id }, 'closing a client after an error');
      this.socket.destroy();
    } finally {
      this.pumping = false;
    }
    if (this.closed) await this.cleanUp();
  }

  private async process(message: TypedMessage): Promise<void> {
    if (this.copy !== null) {
      this.copy.push(message.raw);
      // CopyDone or CopyFail ends the data: the statement and its data go to PGlite together.
      if (message.type === 'c' || message.type === 'f') {
        const batch = Buffer.concat(this.copy);
        this.copy = null;
        let copyInAnswered = false;
        await this.forward(batch, (backend) => {
          // The client had its CopyInResponse from the front already.
          if (backend.type !== 'G' || copyInAnswered) return true;
          copyInAnswered = true;
          return false;
        });
      }
      return;
    }
    // Outside COPY, PostgreSQL ignores COPY messages (left over from a COPY that failed).
    if (message.type === 'd' || message.type === 'c' || message.type === 'f') return;
    if (message.type === 'Q') {
      const sql = message.body.toString('utf8', 0, Math.max(0, message.body.length - 1));
      if (COPY_FROM_STDIN.test(sql)) {
        this.copy = [message.raw];
        this.socket.write(copyInResponse(/\bbinary\b/i.test(sql)));
        return;
      }
    }
    const named = prefixNames(message, this.prefix);
    let raw = named.raw;
    if (named.query !== undefined && COPY_FROM_STDIN.test(named.query))
      raw = replaceParseQuery(raw, COPY_IN_EXTENDED_REFUSED);
    if (named.creates) this.statements.add(named.creates);
    if (named.closes) this.statements.delete(named.closes);
    await this.forward(raw);
  }

  /** Sends to PGlite under the client's lease, writing what comes back; the lease ends once the session is idle. */
  private async forward(raw: Buffer, keep: (backend: TypedMessage) => boolean = () => true): Promise<void> {
    this.lease ??= await this.session.acquire();
    const status = await this.lease.send(raw, (messages) => {
      if (this.closed || !this.socket.writable) return;
      const kept = messages.filter(keep);
      if (kept.length > 0)
        this.socket.write(kept.length === 1 ? kept[0]!.raw : Buffer.concat(kept.map((m) => m.raw)));
    });
    if (status === 'I') this.releaseLease();
  }

  private releaseLease(): void {
    this.lease?.release();
    this.lease = null;
  }

  private onClose(): void {
    this.closed = true;
    this.queue.length = 0;
    this.copy = null;
    if (!this.pumping) void this.cleanUp();
  }

  private cleaning = false;

  /** Rolls back what the client left open and closes its prepared statements, so the next client starts clean. */
  private async cleanUp(): Promise<void> {
    if (this.cleaning) return;
    this.cleaning = true;
    try {
      if (this.lease === null && this.statements.size === 0) return;
      this.lease ??= await this.session.acquire();
      const closes = [...this.statements].map(closeStatement);
      // The Sync ends a batch the client left unfinished; its ReadyForQuery tells whether a transaction is open.
      const status = await this.lease.send(Buffer.concat([...closes, syncMessage()]));
      if (status !== 'I') {
        this.logger.debug({ client: this.id }, 'client left a transaction open: rolling it back');
        await this.lease.send(simpleQuery('ROLLBACK'));
      }
    } catch (error) {
      this.logger.warn({ err: error, client: this.id }, 'could not clean up after a client');
    } finally {
      this.releaseLease();
      this.logger.debug({ client: this.id }, 'client disconnected');
      this.finish();
    }
  }
}
