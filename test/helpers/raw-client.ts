// A minimal Kafka client built on Venice's generated codecs, for APIs and versions the real clients
// in the tests do not send (IncrementalAlterConfigs, OffsetDelete, exact produce sequences...).
import net from 'node:net';
import { Reader, Writer } from '../../src/protocol/primitives.js';
import {
  defaultRequestBody,
  readResponseBody,
  writeRequestBody,
  type ApiKeyNumber,
  type RequestTypes,
  type ResponseTypes,
} from '../../src/protocol/generated/apis.js';
import { requestHeaderVersion, responseHeaderVersion } from '../../src/protocol/api-headers.js';
import { writeRequestHeader } from '../../src/protocol/generated/request-header.js';
import { readResponseHeader } from '../../src/protocol/generated/response-header.js';

export class RawClient {
  private nextCorrelationId = 1;
  private buffered = Buffer.alloc(0);
  private readonly waiting = new Map<
    number,
    { resolve: (body: Buffer) => void; reject: (error: Error) => void }
  >();

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error('connection closed by the broker'));
      this.waiting.clear();
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) return;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const correlationId = frame.readInt32BE(0);
      this.waiting.get(correlationId)?.resolve(frame);
      this.waiting.delete(correlationId);
    }
  }

  private frame<K extends ApiKeyNumber>(
    apiKey: K,
    version: number,
    correlationId: number,
    fields: Partial<RequestTypes[K]>,
  ): Buffer {
    const writer = new Writer();
    writeRequestHeader(writer, requestHeaderVersion(apiKey, version), {
      requestApiKey: apiKey,
      requestApiVersion: version,
      correlationId,
      clientId: 'venice-raw-client',
    });
    writeRequestBody(apiKey, version, writer, { ...defaultRequestBody(apiKey), ...fields });
    const body = writer.toBuffer();
    const frame = Buffer.allocUnsafe(4 + body.length);
    frame.writeInt32BE(body.length, 0);
    body.copy(frame, 4);
    return frame;
  }

  /** For requests the broker does not answer (acks=0 produce). */
  sendWithoutAnswer<K extends ApiKeyNumber>(
    apiKey: K,
    version: number,
    fields: Partial<RequestTypes[K]>,
  ): void {
    this.socket.write(this.frame(apiKey, version, this.nextCorrelationId++, fields));
  }

  /** Sends one request built from the defaults plus `fields`, and decodes the answer. */
  async send<K extends ApiKeyNumber>(
    apiKey: K,
    version: number,
    fields: Partial<RequestTypes[K]>,
  ): Promise<ResponseTypes[K]> {
    const correlationId = this.nextCorrelationId++;
    const frame = this.frame(apiKey, version, correlationId, fields);
    const answer = new Promise<Buffer>((resolve, reject) =>
      this.waiting.set(correlationId, { resolve, reject }),
    );
    this.socket.write(frame);
    const response = await answer;
    const reader = new Reader(response);
    readResponseHeader(reader, responseHeaderVersion(apiKey, version));
    return readResponseBody(apiKey, version, reader);
  }

  close(): void {
    this.socket.destroy();
  }
}
