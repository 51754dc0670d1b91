// Which request/response header version goes with an API version, and reading a request header
// without knowing its version in advance.

import { ProtocolError, type Reader } from './primitives.js';
import { API_SPECS, ApiKey } from './generated/apis.js';
import {
  readRequestHeader as readRequestHeaderOfVersion,
  type RequestHeader,
} from './generated/request-header.js';

function isFlexible(apiKey: number, apiVersion: number): boolean {
  const spec = API_SPECS[apiKey];
  return spec !== undefined && apiVersion >= spec.flexibleFrom;
}

/** Request header v2 for flexible versions, else v1; v0 (no client id) only for ControlledShutdown v0. */
export function requestHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === ApiKey.ControlledShutdown && apiVersion === 0) return 0;
  return isFlexible(apiKey, apiVersion) ? 2 : 1;
}

/**
 * Response header v1 (with tagged fields) for flexible versions, else v0.
 * ApiVersions responses always use v0: a client that does not yet know the broker's versions must be able to parse it.
 */
export function responseHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === ApiKey.ApiVersions) return 0;
  return isFlexible(apiKey, apiVersion) ? 1 : 0;
}

/** Peeks at the API key and version, then reads the request header in the version they call for. */
export function readRequestHeader(r: Reader): RequestHeader {
  if (r.remaining < 4) throw new ProtocolError(`request header truncated: ${r.remaining} bytes`);
  const apiKey = r.buf.readInt16BE(r.pos);
  const apiVersion = r.buf.readInt16BE(r.pos + 2);
  return readRequestHeaderOfVersion(r, requestHeaderVersion(apiKey, apiVersion));
}

export type { RequestHeader };
export type { ResponseHeader } from './generated/response-header.js';
