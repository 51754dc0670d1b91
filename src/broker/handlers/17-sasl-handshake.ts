// SaslHandshake (key 17), v0-1. v0: the SASL tokens that follow are raw size-prefixed frames; v1 (KIP-152):
// they travel in SaslAuthenticate requests. On a SASL listener the connection's SASL session answers;
// on any other listener there is no SASL to start (ILLEGAL_SASL_STATE, as Kafka answers).
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultSaslHandshakeResponse } from '../../protocol/generated/sasl-handshake-response.js';
import { defineHandler } from './handler.js';

export const saslHandshakeHandler = defineHandler({
  apiKey: ApiKey.SaslHandshake,
  minVersion: 0,
  maxVersion: 1,
  handle(request, { connection, version }) {
    const response = defaultSaslHandshakeResponse();
    if (connection.sasl === null) {
      response.errorCode = ErrorCode.ILLEGAL_SASL_STATE;
      response.mechanisms = [];
      return response;
    }
    const outcome = connection.sasl.handshake(request.mechanism, version);
    response.errorCode = outcome.errorCode;
    response.mechanisms = outcome.mechanisms;
    return response;
  },
});
