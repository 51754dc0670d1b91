// SaslAuthenticate (key 36), v0-2 (KIP-152). v1 adds session_lifetime_ms (KIP-368: the client
// re-authenticates before it runs out); v2 is flexible. Each request carries one SASL token; the answer
// carries the mechanism's challenge, or SASL_AUTHENTICATION_FAILED with the reason.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultSaslAuthenticateResponse } from '../../protocol/generated/sasl-authenticate-response.js';
import { defineHandler } from './handler.js';

export const saslAuthenticateHandler = defineHandler({
  apiKey: ApiKey.SaslAuthenticate,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, { connection }) {
    const response = defaultSaslAuthenticateResponse();
    if (connection.sasl === null) {
      response.errorCode = ErrorCode.ILLEGAL_SASL_STATE;
      response.errorMessage = `SaslAuthenticate on listener ${connection.listenerName}, which does not use SASL`;
      return response;
    }
    const outcome = await connection.sasl.authenticate(Buffer.from(request.authBytes));
    response.errorCode = outcome.errorCode;
    response.errorMessage = outcome.errorMessage;
    response.authBytes = outcome.token;
    response.sessionLifetimeMs = BigInt(outcome.sessionLifetimeMs);
    return response;
  },
});
