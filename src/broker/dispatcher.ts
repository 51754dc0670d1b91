// Turns one request frame into one response: header, version check, typed decode, handler, encode.
import { Reader, Writer, ProtocolError } from '../protocol/primitives.js';
import { readRequestHeader, responseHeaderVersion } from '../protocol/api-headers.js';
import {
  API_SPECS,
  ApiKey,
  type ApiKeyNumber,
  defaultResponseBody,
  isApiKey,
  isSupportedVersion,
  readRequestBody,
  readResponseBody,
  writeResponseBody,
  type ResponseTypes,
} from '../protocol/generated/apis.js';
import { writeResponseHeader } from '../protocol/generated/response-header.js';
import { defaultApiVersionsResponse } from '../protocol/generated/api-versions-response.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { ConnectionInfo, RequestProcessor, ResponseOut } from './server/connection.js';
import type { ApiHandler, HandlerResult, RequestContext } from './handlers/handler.js';
import type { BrokerContext } from './broker-context.js';
import { hasPerItemUnsupportedAnswer, perItemUnsupportedAnswer } from './unsupported-version-answers.js';

export interface DispatcherLogger {
  warn(message: string): void;
  error(message: string, error: unknown): void;
}

export class Dispatcher implements RequestProcessor {
  private readonly handlers = new Map<number, ApiHandler>();

  constructor(
    handlers: readonly ApiHandler[],
    private readonly broker: () => BrokerContext,
    private readonly log: DispatcherLogger,
  ) {
    for (const handler of handlers) this.handlers.set(handler.apiKey, handler);
  }

  /**
   * Produce handling reads the records and writes them to the log before it returns, and keeps no view
   * into the request (other requests do: group metadata, for one), so only produce frames are reusable.
   */
  releasesFrame(frame: Buffer): boolean {
    return frame.length >= 2 && frame.readInt16BE(0) === ApiKey.Produce;
  }

  process(frame: Buffer, connection: ConnectionInfo): ResponseOut | Promise<ResponseOut> {
    const reader = new Reader(frame);
    const header = readRequestHeader(reader);
    const apiKey = header.requestApiKey;
    const version = header.requestApiVersion;
    const handler = this.handlers.get(apiKey);

    if (!handler || version < handler.minVersion || version > handler.maxVersion) {
      if (apiKey === ApiKey.ApiVersions) return this.unsupportedApiVersions(header.correlationId);
      const name = API_SPECS[apiKey]?.name ?? `unknown API ${apiKey}`;
      const range = handler ? `${handler.minVersion}..${handler.maxVersion}` : 'none';
      const message = `${name} v${version} is not supported (supported versions: ${range})`;
      const answer =
        this.unsupportedVersionAnswer(apiKey, version, header.correlationId, message) ??
        this.perItemUnsupportedAnswer(apiKey, version, header.correlationId, reader, message);
      if (answer) return answer;
      // Nothing in the response can carry it: close the connection, as Kafka does for any unsupported version.
      throw new ProtocolError(message);
    }

    const key = apiKey as ApiKeyNumber;
    const request = readRequestBody(key, version, reader);
    const context: RequestContext = { broker: this.broker(), connection, header, version };
    let result: HandlerResult<ApiKeyNumber> | Promise<HandlerResult<ApiKeyNumber>>;
    try {
      result = handler.handle(request, context);
    } catch (error) {
      return this.handlerFailed(handler, error);
    }
    if (result instanceof Promise) {
      return result.then(
        (response) => this.encode(key, version, header.correlationId, response),
        (error: unknown) => this.handlerFailed(handler, error),
      );
    }
    return this.encode(key, version, header.correlationId, result);
  }

  private encode<K extends ApiKeyNumber>(
    key: K,
    version: number,
    correlationId: number,
    response: ResponseTypes[K] | null,
  ): ResponseOut {
    if (response === null) return null;
    const writer = new Writer();
    try {
      writeResponseHeader(writer, responseHeaderVersion(key, version), { correlationId });
      writeResponseBody(key, version, writer, response);
    } catch (error) {
      // A handler built an answer its version cannot carry: a broker bug, not the client's fault.
      const name = API_SPECS[key]?.name ?? String(key);
      this.log.error(`${name} v${version} response could not be encoded; closing the connection`, error);
      throw error instanceof Error ? error : new Error(String(error));
    }
    return writer.chunksOut();
  }

  /** KIP-511: a client asking in a version we do not know gets a v0 answer listing what we support. */
  private unsupportedApiVersions(correlationId: number): ResponseOut {
    const response = defaultApiVersionsResponse();
    response.errorCode = ErrorCode.UNSUPPORTED_VERSION;
    response.apiKeys = this.broker().supportedApis.map((api) => ({ ...api }));
    return this.encode(ApiKey.ApiVersions, 0, correlationId, response);
  }

  /**
   * An UNSUPPORTED_VERSION answer the client can read, when the response of that API and version has a
   * top-level error code (EndTxn, DescribeAcls, ConsumerGroupHeartbeat...); null when it has none (its
   * errors are per topic or partition) or the version is beyond what the codec knows.
   */
  private unsupportedVersionAnswer(
    apiKey: number,
    version: number,
    correlationId: number,
    message: string,
  ): ResponseOut {
    if (!isApiKey(apiKey) || !isSupportedVersion(apiKey, version)) return null;
    const response = {
      ...defaultResponseBody(apiKey),
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      errorMessage: message,
    };
    // The codec writes only the fields of this version: a round trip tells whether errorCode is one of them.
    try {
      const body = new Writer();
      writeResponseBody(apiKey, version, body, response);
      const echoed: unknown = readResponseBody(apiKey, version, new Reader(body.toBuffer()));
      if ((echoed as { errorCode?: unknown }).errorCode !== ErrorCode.UNSUPPORTED_VERSION) return null;
    } catch {
      return null;
    }
    return this.encode(apiKey, version, correlationId, response);
  }

  /**
   * The answer for APIs whose errors are per topic, partition or item in this version (Produce v0-2,
   * Fetch v0-3...): the request is decoded in its version and each item it names gets the error.
   */
  private perItemUnsupportedAnswer(
    apiKey: number,
    version: number,
    correlationId: number,
    reader: Reader,
    message: string,
  ): ResponseOut {
    if (!isApiKey(apiKey) || !isSupportedVersion(apiKey, version)) return null;
    if (!hasPerItemUnsupportedAnswer(apiKey)) return null;
    const request = readRequestBody(apiKey, version, reader);
    const response = perItemUnsupportedAnswer(apiKey, request, message);
    return response === null ? null : this.encode(apiKey, version, correlationId, response);
  }

  private handlerFailed(handler: ApiHandler, error: unknown): never {
    // A handler refusing a request it cannot answer in its version: the client's fault, logged as such.
    if (error instanceof ProtocolError) throw error;
    const name = API_SPECS[handler.apiKey]?.name ?? String(handler.apiKey);
    this.log.error(`${name} handler failed; closing the connection so the client retries`, error);
    throw error instanceof Error ? error : new Error(String(error));
  }
}
