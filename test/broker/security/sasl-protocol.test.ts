// SASL and the SCRAM credential APIs at the protocol level, with Venice's raw client: what a SASL
// listener lets through before authentication, error answers, session expiry (KIP-368), and
// credentials that survive a restart.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { RawClient } from '../../helpers/raw-client.js';
import { ApiKey } from '../../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import type { RunningBroker } from '../../../src/broker/main.js';

const REAUTH_MS = 3000;
let broker: RunningBroker;
let dataDir: string;

function start(): Promise<RunningBroker> {
  return startTestBroker({
    dataDir,
    listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
    connectionsMaxReauthMs: REAUTH_MS,
  });
}

function plainToken(user: string, password: string): Buffer {
  return Buffer.from(`\u0000${user}\u0000${password}`, 'utf8');
}

async function saslClient(): Promise<RawClient> {
  return RawClient.connect(broker.ports.SASL_PLAINTEXT);
}

async function authenticate(client: RawClient, password: string) {
  const handshake = await client.send(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' });
  expect(handshake.errorCode).toBe(ErrorCode.NONE);
  return client.send(ApiKey.SaslAuthenticate, 2, { authBytes: plainToken('carol', password) });
}

function closed(client: RawClient): Promise<unknown> {
  return client.send(ApiKey.Metadata, 12, { topics: [] }).then(
    () => 'answered',
    (error: Error) => error.message,
  );
}

async function upsertCarol(iterations = 4096) {
  const salt = crypto.randomBytes(16);
  const saltedPassword = crypto.pbkdf2Sync('carol-secret', salt, iterations, 64, 'sha512');
  const client = await RawClient.connect(broker.ports.PLAINTEXT);
  try {
    return await client.send(ApiKey.AlterUserScramCredentials, 0, {
      deletions: [],
      upsertions: [{ name: 'carol', mechanism: 2, iterations, salt, saltedPassword }],
    });
  } finally {
    client.close();
  }
}

describe('SASL at the protocol level', () => {
  beforeAll(async () => {
    dataDir = temporaryDataDir('sasl-protocol');
    broker = await start();
    const answer = await upsertCarol();
    expect(answer.results).toEqual([{ user: 'carol', errorCode: ErrorCode.NONE, errorMessage: null }]);
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('before authentication a SASL listener answers ApiVersions and closes the connection on Metadata', async () => {
    const client = await saslClient();
    const versions = await client.send(ApiKey.ApiVersions, 3, {});
    expect(versions.apiKeys.some((api) => api.apiKey === ApiKey.SaslAuthenticate)).toBe(true);
    expect(await closed(client)).toBe('connection closed by the broker');
  });

  it('an unknown mechanism is refused with the list of enabled ones', async () => {
    const client = await saslClient();
    const handshake = await client.send(ApiKey.SaslHandshake, 1, { mechanism: 'GSSAPI' });
    expect(handshake.errorCode).toBe(ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    expect(handshake.mechanisms).toEqual(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
    client.close();
  });

  it('a wrong password gets SASL_AUTHENTICATION_FAILED with a message, and the connection serves nothing', async () => {
    const client = await saslClient();
    const answer = await authenticate(client, 'wrong');
    expect(answer.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    expect(answer.errorMessage).toBe('Authentication failed: Invalid username or password');
    expect(await closed(client)).toBe('connection closed by the broker');
  });

  it('a session lasts connections.max.reauth.ms: re-authenticating extends it, an expired one is closed', async () => {
    const client = await saslClient();
    const answer = await authenticate(client, 'carol-secret');
    expect(answer.errorCode).toBe(ErrorCode.NONE);
    expect(answer.sessionLifetimeMs).toBe(BigInt(REAUTH_MS));
    expect(await closed(client)).toBe('answered');

    await new Promise((resolve) => setTimeout(resolve, REAUTH_MS * 0.6));
    expect((await authenticate(client, 'carol-secret')).errorCode).toBe(ErrorCode.NONE);
    await new Promise((resolve) => setTimeout(resolve, REAUTH_MS * 0.6));
    expect(await closed(client)).toBe('answered');

    await new Promise((resolve) => setTimeout(resolve, REAUTH_MS * 1.2));
    expect(await closed(client)).toBe('connection closed by the broker');
  });

  it('SaslHandshake on a PLAINTEXT listener is an illegal SASL state', async () => {
    const client = await RawClient.connect(broker.ports.PLAINTEXT);
    const handshake = await client.send(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' });
    expect(handshake.errorCode).toBe(ErrorCode.ILLEGAL_SASL_STATE);
    client.close();
  });

  it('the SCRAM credential APIs refuse bad alterations and describe users without their secrets', async () => {
    const client = await RawClient.connect(broker.ports.PLAINTEXT);
    const tooFew = await client.send(ApiKey.AlterUserScramCredentials, 0, {
      deletions: [{ name: 'dave', mechanism: 1 }],
      upsertions: [
        {
          name: 'erin',
          mechanism: 1,
          iterations: 100,
          salt: Buffer.from('s'),
          saltedPassword: Buffer.alloc(32),
        },
      ],
    });
    expect(tooFew.results.map((result) => [result.user, result.errorCode])).toEqual([
      ['dave', ErrorCode.RESOURCE_NOT_FOUND],
      ['erin', ErrorCode.UNACCEPTABLE_CREDENTIAL],
    ]);
    const described = await client.send(ApiKey.DescribeUserScramCredentials, 0, {
      users: [{ name: 'carol' }, { name: 'nobody' }],
    });
    expect(described.results).toEqual([
      {
        user: 'carol',
        errorCode: 0,
        errorMessage: null,
        credentialInfos: [{ mechanism: 2, iterations: 4096 }],
      },
      expect.objectContaining({ user: 'nobody', errorCode: ErrorCode.RESOURCE_NOT_FOUND }),
    ]);
    client.close();
  });

  it('credentials survive a restart, and a deleted user can no longer authenticate', async () => {
    await broker.stop();
    broker = await start();
    const before = await saslClient();
    expect((await authenticate(before, 'carol-secret')).errorCode).toBe(ErrorCode.NONE);
    before.close();

    const admin = await RawClient.connect(broker.ports.PLAINTEXT);
    const deleted = await admin.send(ApiKey.AlterUserScramCredentials, 0, {
      deletions: [{ name: 'carol', mechanism: 2 }],
      upsertions: [],
    });
    expect(deleted.results[0].errorCode).toBe(ErrorCode.NONE);
    admin.close();
    const after = await saslClient();
    expect((await authenticate(after, 'carol-secret')).errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    after.close();
  });
});
