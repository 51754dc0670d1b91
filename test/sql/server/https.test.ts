// The sql component over HTTPS with Basic users: HTTP/1.1 and HTTP/2 chosen by ALPN on one port, a
// read-only user may query and run statements that read, not ones that write, and a WebSocket query
// needs a user too.
import http2 from 'node:http2';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthority, issueServer } from '../../../src/cli/certs/certificates.js';
import { clientFetch } from '../../../src/service/http-client.js';
import { silentLogger } from '../../../src/service/index.js';
import { hashPassword } from '../../../src/service/http-security/index.js';
import { startSql, type RunningSql } from '../../../src/sql/service.js';
import { temporaryDataDir } from '../../helpers/broker.js';
import { ScriptedEngine } from './scripted-engine.js';

const PASSWORD = 'sql-Secret-4321';

describe('sql over HTTPS with users', () => {
  const dir = temporaryDataDir('sql-https');
  const authority = createAuthority('test CA', 30);
  const server = issueServer(authority, ['127.0.0.1'], 30);
  const caFile = path.join(dir, 'ca.pem');
  let sql: RunningSql;

  beforeAll(async () => {
    fs.writeFileSync(caFile, authority.cert);
    fs.writeFileSync(path.join(dir, 'cert.pem'), server.cert);
    fs.writeFileSync(path.join(dir, 'key.pem'), server.key);
    const engine = new ScriptedEngine();
    engine.statements.set('SHOW STREAMS;', []);
    sql = await startSql({
      bootstrapServers: '127.0.0.1:1',
      port: 0,
      dataDir: path.join(dir, 'sql'),
      logger: silentLogger(),
      createEngine: () => engine,
      http: {
        authenticationMethod: 'BASIC',
        users: [
          { name: 'dev', passwordHash: hashPassword(PASSWORD), roles: ['developer'] },
          { name: 'viewer', passwordHash: hashPassword(PASSWORD), roles: ['readonly'] },
        ],
        usersSource: 'test',
        roles: ['*'],
        readOnlyRoles: ['readonly'],
        tlsCert: path.join(dir, 'cert.pem'),
        tlsKey: path.join(dir, 'key.pem'),
        allowedHosts: null,
        corsOrigins: [],
      },
    });
  });
  afterAll(async () => {
    await sql?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const as = (user: string | null) => clientFetch({ user, password: user && PASSWORD, ca: caFile });
  const statement = { method: 'POST', body: JSON.stringify({ ksql: 'SHOW STREAMS;' }) };

  it('answers HTTP/1.1 over TLS, asking for a user and keeping read-only users from writing statements', async () => {
    expect(sql.url).toMatch(/^https:/);
    expect((await as(null)(`${sql.url}/info`)).status).toBe(401);
    expect((await as('dev')(`${sql.url}/ksql`, statement)).status).toBe(200);
    expect((await as('viewer')(`${sql.url}/info`)).status).toBe(200);
    expect((await as('viewer')(`${sql.url}/ksql`, statement)).status).toBe(200);
    const create = {
      method: 'POST',
      body: JSON.stringify({
        ksql: "CREATE STREAM s (id INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);",
      }),
    };
    const refused = await as('viewer')(`${sql.url}/ksql`, create);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ '@type': 'generic_error', error_code: 40300 });
  });

  it('answers HTTP/2 when the client asks for it by ALPN', async () => {
    const session = http2.connect(sql.url, { ca: authority.cert });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const stream = session.request({
          ':path': '/info',
          authorization: `Basic ${Buffer.from(`dev:${PASSWORD}`).toString('base64')}`,
        });
        stream.on('response', (headers) => resolve(Number(headers[':status'])));
        stream.on('error', reject);
        stream.resume();
      });
      expect(status).toBe(200);
    } finally {
      session.close();
    }
  });

  it('refuses a WebSocket query without a user', async () => {
    const url = new URL(sql.url);
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get({
          host: url.hostname,
          port: url.port,
          path: '/ws/query',
          ca: authority.cert,
          headers: {
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-version': '13',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          },
        })
        .on('response', (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
        .on('upgrade', () => resolve(101))
        .on('error', reject);
    });
    expect(status).toBe(401);
  });
});
