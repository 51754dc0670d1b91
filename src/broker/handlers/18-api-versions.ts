// ApiVersions (key 18), v0-4. v3 is flexible and carries the client's software name (KIP-511); v4 only
// lets a feature's minimum version be 0 (KAFKA-17011), and Venice lists no features.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultApiVersionsResponse } from '../../protocol/generated/api-versions-response.js';
import { defineHandler } from './handler.js';

export const apiVersionsHandler = defineHandler({
  apiKey: ApiKey.ApiVersions,
  minVersion: 0,
  maxVersion: 4,
  handle(_request, { broker }) {
    const response = defaultApiVersionsResponse();
    response.errorCode = ErrorCode.NONE;
    response.apiKeys = broker.supportedApis.map((api) => ({ ...api }));
    return response;
  },
});
