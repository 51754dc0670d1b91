// The parts of PostgreSQL's wire protocol (v3) the front needs: cutting a client's byte stream into
// whole messages, building the few backend messages it answers itself, and reading the backend
// messages PGlite writes. It knows bytes and nothing else.

/** The request codes that stand in for a protocol version in the untyped first message. */
export const SSL_REQUEST_CODE = 80877103;
export const GSS_ENCRYPTION_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;
export const PROTOCOL_3_0 = 196608;

/** PostgreSQL refuses bigger messages too (1 GB is its MaxAllocSize). */
export const MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;

/** An untyped startup-phase message: its code (protocol version or request code) and body. */
export interface StartupPacket {
  code: number;
  /** The bytes after the length and the code. */
  body: Buffer;
  /** The whole message as received. */
  raw: Buffer;
}

/** A typed message: one type byte, an int32 length, the body. */
export interface TypedMessage {
  type: string;
  body: Buffer;
  raw: Buffer;
}

export class ProtocolViolation extends Error {
  override name = 'ProtocolViolation';
}

/**
 * Cuts a byte stream into whole messages. Until `startupDone` the messages are untyped (SSLRequest,
 * StartupMessage); after, typed.
 */
export class MessageReader {
  private buffered: Buffer = Buffer.alloc(0);
  startupDone = false;

  push(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
  }

  get bufferedBytes(): number {
    return this.buffered.length;
  }

  nextStartup(): StartupPacket | null {
    if (this.buffered.length < 8) return null;
    const length = this.buffered.readInt32BE(0);
    if (length < 8 || length > 10_000) throw new ProtocolViolation(`invalid startup packet length ${length}`);
    if (this.buffered.length < length) return null;
    const raw = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    return { code: raw.readInt32BE(4), body: raw.subarray(8), raw };
  }

  nextTyped(): TypedMessage | null {
    if (this.buffered.length < 5) return null;
    const length = this.buffered.readInt32BE(1);
    if (length < 4 || length > MAX_MESSAGE_BYTES)
      throw new ProtocolViolation(`invalid message length ${length}`);
    if (this.buffered.length < length + 1) return null;
    const raw = this.buffered.subarray(0, length + 1);
    this.buffered = this.buffered.subarray(length + 1);
    return { type: String.fromCharCode(raw[0]!), body: raw.subarray(5), raw };
  }
}

/** The key/value pairs of a StartupMessage. */
export function startupParameters(body: Buffer): Map<string, string> {
  const parameters = new Map<string, string>();
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const [key, afterKey] = readCString(body, offset);
    const [value, afterValue] = readCString(body, afterKey);
    parameters.set(key, value);
    offset = afterValue;
  }
  return parameters;
}

/** A NUL-terminated string at `offset`, and the offset after its NUL. */
export function readCString(buffer: Buffer, offset: number): [string, number] {
  const end = buffer.indexOf(0, offset);
  if (end < 0) throw new ProtocolViolation('a string in a message is not terminated');
  return [buffer.toString('utf8', offset, end), end + 1];
}

export function cString(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
}

export function typedMessage(type: string, body: Buffer): Buffer {
  const message = Buffer.alloc(5 + body.length);
  message.write(type, 0, 'latin1');
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value, 0);
  return buffer;
}

export function startupMessage(parameters: Record<string, string>): Buffer {
  const pairs = Object.entries(parameters).flatMap(([key, value]) => [cString(key), cString(value)]);
  const body = Buffer.concat([int32(PROTOCOL_3_0), ...pairs, Buffer.from([0])]);
  return Buffer.concat([int32(body.length + 4), body]);
}

export const authenticationOk = (): Buffer => typedMessage('R', int32(0));
export const parameterStatus = (name: string, value: string): Buffer =>
  typedMessage('S', Buffer.concat([cString(name), cString(value)]));
export const backendKeyData = (processId: number, secret: number): Buffer =>
  typedMessage('K', Buffer.concat([int32(processId), int32(secret)]));
export const readyForQuery = (status: TransactionStatus): Buffer =>
  typedMessage('Z', Buffer.from(status, 'latin1'));
export const simpleQuery = (sql: string): Buffer => typedMessage('Q', cString(sql));
export const syncMessage = (): Buffer => typedMessage('S', Buffer.alloc(0));
export const closeStatement = (name: string): Buffer =>
  typedMessage('C', Buffer.concat([Buffer.from('S', 'latin1'), cString(name)]));

/** CopyInResponse: the overall format, and no column formats (clients do not need them to send). */
export const copyInResponse = (binary: boolean): Buffer =>
  typedMessage('G', Buffer.from([binary ? 1 : 0, 0, 0]));

/** NegotiateProtocolVersion: the newest minor version served and the options not recognised. */
export function negotiateProtocolVersion(unrecognised: readonly string[]): Buffer {
  return typedMessage(
    'v',
    Buffer.concat([int32(0), int32(unrecognised.length), ...unrecognised.map(cString)]),
  );
}

/** ErrorResponse with severity, SQLSTATE, message and an optional hint. */
export function errorResponse(fields: {
  severity: 'ERROR' | 'FATAL';
  code: string;
  message: string;
  hint?: string;
}): Buffer {
  const parts = [
    Buffer.from('S', 'latin1'),
    cString(fields.severity),
    Buffer.from('V', 'latin1'),
    cString(fields.severity),
    Buffer.from('C', 'latin1'),
    cString(fields.code),
    Buffer.from('M', 'latin1'),
    cString(fields.message),
  ];
  if (fields.hint) parts.push(Buffer.from('H', 'latin1'), cString(fields.hint));
  parts.push(Buffer.from([0]));
  return typedMessage('E', Buffer.concat(parts));
}

/** ReadyForQuery's status: idle, in a transaction block, in a failed transaction block. */
export type TransactionStatus = 'I' | 'T' | 'E';

/** The fields of an ErrorResponse or NoticeResponse body, by their one-letter code. */
export function responseFields(body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const code = String.fromCharCode(body[offset]!);
    const [value, next] = readCString(body, offset + 1);
    fields.set(code, value);
    offset = next;
  }
  return fields;
}

/**
 * Reassembles the backend messages of a stream of chunks (PGlite writes in buffer-sized pieces that
 * need not end on a message boundary) and hands over whole messages in runs, so that a run can be
 * written to a socket in one call.
 */
export class BackendMessageSplitter {
  private tail: Buffer = Buffer.alloc(0);

  /** The whole messages completed by `chunk`, in order; a partial last message waits for the next chunk. */
  push(chunk: Uint8Array): TypedMessage[] {
    // Copied: PGlite hands out views of its memory, which it reuses.
    const data = this.tail.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.tail, chunk]);
    const messages: TypedMessage[] = [];
    let offset = 0;
    while (data.length - offset >= 5) {
      const length = data.readInt32BE(offset + 1);
      if (data.length - offset < length + 1) break;
      const raw = data.subarray(offset, offset + length + 1);
      messages.push({ type: String.fromCharCode(raw[0]!), body: raw.subarray(5), raw });
      offset += length + 1;
    }
    this.tail = data.subarray(offset);
    return messages;
  }

  get pendingBytes(): number {
    return this.tail.length;
  }
}
