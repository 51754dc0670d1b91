// The contract every API handler fulfils: a typed request in, a typed response (or none) out.
import type { ApiKeyNumber, RequestTypes, ResponseTypes } from '../../protocol/generated/apis.js';
import type { RequestHeader } from '../../protocol/generated/request-header.js';
import type { ConnectionInfo } from '../server/connection.js';
import type { BrokerContext } from '../broker-context.js';

export interface RequestContext {
  readonly broker: BrokerContext;
  readonly connection: ConnectionInfo;
  readonly header: RequestHeader;
  /** The API version the request was sent in; the response is encoded in the same version. */
  readonly version: number;
}

export type HandlerResult<K extends ApiKeyNumber> = ResponseTypes[K] | null;

export interface ApiHandler<K extends ApiKeyNumber = ApiKeyNumber> {
  readonly apiKey: K;
  /** The version range advertised in ApiVersions: only versions that really work. */
  readonly minVersion: number;
  readonly maxVersion: number;
  /** Returns null when no response is sent (acks=0 produce). */
  handle(request: RequestTypes[K], context: RequestContext): HandlerResult<K> | Promise<HandlerResult<K>>;
}

export function defineHandler<K extends ApiKeyNumber>(handler: ApiHandler<K>): ApiHandler<K> {
  return handler;
}
