// The request processor of a SASL listener: it lets through only ApiVersions, SaslHandshake and
// SaslAuthenticate until the connection has authenticated (anything else closes it, as Kafka does),
// answers the raw tokens of the v0 handshake flow itself, and closes a connection whose session has
// expired (KIP-368). PLAINTEXT and SSL listeners use the dispatcher directly, without this step.
import { ProtocolError } from '../../protocol/primitives.js';
import { API_SPECS, ApiKey } from '../../protocol/generated/apis.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { ConnectionInfo, RequestProcessor, ResponseOut } from './connection.js';
import type { SaslSession } from '../security/sasl-session.js';

const ALWAYS_ALLOWED: ReadonlySet<number> = new Set([
  ApiKey.ApiVersions,
  ApiKey.SaslHandshake,
  ApiKey.SaslAuthenticate,
]);

export class SaslGate implements RequestProcessor {
  /** Raw token frames: never reused, whatever their first bytes look like. */
  private readonly rawFrames = new WeakSet<Buffer>();

  constructor(private readonly inner: RequestProcessor) {}

  process(frame: Buffer, connection: ConnectionInfo): ResponseOut | Promise<ResponseOut> {
    const session = connection.sasl;
    if (session === null)
      throw new Error(`connection ${connection.id} on a SASL listener has no SASL session`);
    if (session.expectsRawToken) {
      this.rawFrames.add(frame);
      return answerRawToken(session, Buffer.from(frame));
    }
    if (frame.length < 2) throw new ProtocolError('request header truncated');
    const apiKey = frame.readInt16BE(0);
    if (!ALWAYS_ALLOWED.has(apiKey) && !session.authenticated) {
      throw new ProtocolError(session.refusal(API_SPECS[apiKey]?.name ?? `API ${apiKey}`));
    }
    return this.inner.process(frame, connection);
  }

  releasesFrame(frame: Buffer): boolean {
    return !this.rawFrames.has(frame) && this.inner.releasesFrame(frame);
  }
}

/** A v0-flow token: the answer is the bare challenge; a failure can only close the connection. */
async function answerRawToken(session: SaslSession, token: Buffer): Promise<ResponseOut> {
  const outcome = await session.authenticate(token);
  if (outcome.errorCode !== ErrorCode.NONE)
    throw new ProtocolError(outcome.errorMessage ?? 'SASL authentication failed');
  return [outcome.token];
}
