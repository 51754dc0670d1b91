// One connection's SASL state machine, without sockets: re-authentication rules (KIP-368) and the
// close that follows a failure.
import { describe, expect, it } from 'vitest';
import {
  SaslSession,
  FAILED_AUTHENTICATION_CLOSE_DELAY_MS,
} from '../../../src/broker/security/sasl-session.js';
import { plainServer, PLAIN } from '../../../src/broker/security/plain-server.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';

const users = new Map([
  ['ann', 'ann-secret'],
  ['ben', 'ben-secret'],
]);
const noScram = { credential: () => undefined };

function session(now: () => number = Date.now) {
  const target = { principal: 'User:ANONYMOUS', closed: false, close: () => (target.closed = true) };
  const sasl = new SaslSession(target, {
    mechanisms: new Map([[PLAIN, plainServer(users, noScram)]]),
    maxReauthMs: 1000,
    now,
  });
  return { sasl, target };
}

const token = (user: string, password: string) => Buffer.from(`\u0000${user}\u0000${password}`);

describe('SASL session', () => {
  it('authenticates, sets the principal and expires after connections.max.reauth.ms', async () => {
    let clock = 0;
    const { sasl, target } = session(() => clock);
    expect(sasl.handshake(PLAIN, 1).errorCode).toBe(ErrorCode.NONE);
    const answer = await sasl.authenticate(token('ann', 'ann-secret'));
    expect(answer).toMatchObject({ errorCode: ErrorCode.NONE, sessionLifetimeMs: 1000 });
    expect(target.principal).toBe('User:ann');
    expect(sasl.authenticated).toBe(true);
    clock = 1000;
    expect(sasl.authenticated).toBe(false);
  });

  it('refuses a re-authentication as another user, and closes the connection shortly after', async () => {
    const { sasl, target } = session();
    sasl.handshake(PLAIN, 1);
    await sasl.authenticate(token('ann', 'ann-secret'));
    sasl.handshake(PLAIN, 1);
    const answer = await sasl.authenticate(token('ben', 'ben-secret'));
    expect(answer.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    expect(answer.errorMessage).toBe(
      'Cannot change principals during re-authentication from User:ann: User:ben',
    );
    expect(sasl.authenticated).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, FAILED_AUTHENTICATION_CLOSE_DELAY_MS * 3));
    expect(target.closed).toBe(true);
  });

  it('answers SaslAuthenticate before SaslHandshake with ILLEGAL_SASL_STATE', async () => {
    const { sasl } = session();
    expect((await sasl.authenticate(token('ann', 'ann-secret'))).errorCode).toBe(
      ErrorCode.ILLEGAL_SASL_STATE,
    );
  });

  it('expects raw tokens after a v0 handshake, until the exchange completes', async () => {
    const { sasl } = session();
    sasl.handshake(PLAIN, 0);
    expect(sasl.expectsRawToken).toBe(true);
    await sasl.authenticate(token('ann', 'ann-secret'));
    expect(sasl.expectsRawToken).toBe(false);
  });
});
