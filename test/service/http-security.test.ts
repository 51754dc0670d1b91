// The HTTP side of security against real services: a TLS schema registry whose certificates come from
// `venice certs create`'s code, Basic users with roles, the Host check, CORS, and no password in logs,
// errors or /health. The other HTTP components plug in the same guard (guard tests below).
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthConfig } from '../helpers/http-users.js';
import { createAuthority, issueServer } from '../../src/cli/certs/certificates.js';
import { loadConfig } from '../../src/config/load.js';
import type { HttpServerConfig } from '../../src/config/http.js';
import { clientFetch } from '../../src/service/http-client.js';
import { createLogger } from '../../src/service/index.js';
import { createRequestGuard } from '../../src/service/http-security/index.js';
import { checkHttpExposure } from '../../src/supervisor/exposure.js';
import { COMPONENT_CATALOG } from '../../src/supervisor/components.js';
import { StartRefused } from '../../src/supervisor/preflight.js';
import { startBrokerAndRegistry, V1_JSON } from '../registry/helpers.js';

const ADMIN_PASSWORD = 'admin-Secret-1234';
const READER_PASSWORD = 'reader-Secret-5678';
const SCHEMA = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }] });

function httpServerConfig(overrides: Partial<HttpServerConfig> = {}): HttpServerConfig {
  return basicAuthConfig(
    {
      admin: { name: 'admin', password: ADMIN_PASSWORD },
      readOnly: { name: 'reader', password: READER_PASSWORD },
    },
    { corsOrigins: ['https://app.example.com'], ...overrides },
  );
}

describe('a TLS schema registry with Basic users', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-http-security-'));
  const logLines: string[] = [];
  let setup: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
  let caFile: string;
  let url: string;

  beforeAll(async () => {
    const authority = createAuthority('test CA', 30);
    const server = issueServer(authority, ['localhost', '127.0.0.1'], 30);
    caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, authority.cert);
    fs.writeFileSync(path.join(dir, 'server.pem'), server.cert + authority.cert);
    fs.writeFileSync(path.join(dir, 'server-key.pem'), server.key);
    const logger = createLogger({
      name: 'registry',
      level: 'trace',
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    setup = await startBrokerAndRegistry({
      logger,
      http: httpServerConfig({
        tlsCert: path.join(dir, 'server.pem'),
        tlsKey: path.join(dir, 'server-key.pem'),
      }),
    });
    url = setup.registry.url;
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const as = (user: string | null, password: string | null) => clientFetch({ user, password, ca: caFile });
  const admin = () => as('admin', ADMIN_PASSWORD);
  const reader = () => as('reader', READER_PASSWORD);
  const json = { 'content-type': V1_JSON };

  it('announces https and answers only clients that trust the CA', async () => {
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    const health = await as(null, null)(`${url}/health`);
    expect(health.status).toBe(200);
  });

  it('asks for a user with 401 and WWW-Authenticate, and refuses a wrong password', async () => {
    const anonymous = await as(null, null)(`${url}/subjects`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="venice", charset="UTF-8"');
    expect(((await anonymous.json()) as { error_code: number }).error_code).toBe(401);
    const wrong = await as('admin', 'not-the-password')(`${url}/subjects`);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('not-the-password');
    expect((await admin()(`${url}/subjects`)).status).toBe(200);
  });

  it('lets a read-only user read and look up, not register, test compatibility (as Confluent), change config or mode', async () => {
    const body = JSON.stringify({ schema: SCHEMA });
    const registered = await admin()(`${url}/subjects/orders-value/versions`, {
      method: 'POST',
      headers: json,
      body,
    });
    expect(registered.status).toBe(200);

    expect((await reader()(`${url}/subjects`)).status).toBe(200);
    const lookup = await reader()(`${url}/subjects/orders-value`, { method: 'POST', headers: json, body });
    expect(lookup.status).toBe(200);
    // Confluent's authorizer: a lookup is SUBJECT_READ, a compatibility test SUBJECT_WRITE.
    const check = await reader()(`${url}/compatibility/subjects/orders-value/versions/latest`, {
      method: 'POST',
      headers: json,
      body,
    });
    expect(check.status).toBe(403);
    const checked = await admin()(`${url}/compatibility/subjects/orders-value/versions/latest`, {
      method: 'POST',
      headers: json,
      body,
    });
    expect(checked.status).toBe(200);

    const write = await reader()(`${url}/subjects/other-value/versions`, {
      method: 'POST',
      headers: json,
      body,
    });
    expect(write.status).toBe(403);
    expect(await write.text()).toContain('read-only');
    const config = await reader()(`${url}/config`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ compatibility: 'NONE' }),
    });
    expect(config.status).toBe(403);
    const mode = await reader()(`${url}/mode`, { method: 'PUT', headers: json, body: '{"mode":"READONLY"}' });
    expect(mode.status).toBe(403);
    expect((await reader()(`${url}/subjects/orders-value`, { method: 'DELETE' })).status).toBe(403);
  });

  it('refuses a Host header it does not answer to (DNS rebinding)', async () => {
    const port = new URL(url).port;
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        https
          .get(
            {
              host: '127.0.0.1',
              port,
              path: '/health',
              ca: fs.readFileSync(caFile),
              headers: { host },
              servername: 'localhost',
            },
            (response) => {
              response.resume();
              resolve(response.statusCode ?? 0);
            },
          )
          .on('error', reject);
      });
    expect(await status(`evil.example.com:${port}`)).toBe(403);
    expect(await status(`localhost:${port}`)).toBe(200);
  });

  it('sends CORS headers to a configured origin only', async () => {
    const allowed = await admin()(`${url}/subjects`, { headers: { origin: 'https://app.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await admin()(`${url}/subjects`, { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await as(null, null)(`${url}/subjects`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
  });

  it('shows no password in /health, error answers or the log', async () => {
    const health = await (await as(null, null)(`${url}/health`)).text();
    const log = logLines.join('');
    for (const secret of [ADMIN_PASSWORD, READER_PASSWORD, 'not-the-password']) {
      expect(health).not.toContain(secret);
      expect(log).not.toContain(secret);
    }
    expect(health).not.toContain('scrypt$');
    expect(log).not.toContain('scrypt$');
  });
});

describe('the request guard (every HTTP component)', () => {
  const guard = createRequestGuard(httpServerConfig({ roles: ['admin', 'readonly'] }), '127.0.0.1');
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const request = (headers: Record<string, string>, url = '/subjects', method = 'GET') => ({
    method,
    url,
    headers: { host: '127.0.0.1:8081', ...headers },
  });

  it('leaves /health open and keeps everything else behind a user', () => {
    expect(guard.judge(request({}, '/health'), false).pass).toBe(true);
    expect(guard.judge(request({}, '/health?x=1'), false).pass).toBe(true);
    const refused = guard.judge(request({}), false);
    expect(refused.pass === false && refused.status).toBe(401);
    expect(guard.judge(request({ authorization: basic('admin', ADMIN_PASSWORD) }), true).pass).toBe(true);
  });

  it('refuses users without an admitted role (authentication.roles)', () => {
    const strict = createRequestGuard(httpServerConfig({ roles: ['admin'] }), '127.0.0.1');
    const verdict = strict.judge(request({ authorization: basic('reader', READER_PASSWORD) }), false);
    expect(verdict.pass === false && verdict.status).toBe(403);
  });

  it('answers every host with allowedHosts *, and only listed ones otherwise', () => {
    const any = createRequestGuard(httpServerConfig({ allowedHosts: ['*'] }), '127.0.0.1');
    expect(any.judge(request({ host: 'x.example' }, '/health'), false).pass).toBe(true);
    const listed = createRequestGuard(httpServerConfig({ allowedHosts: ['venice.example.com'] }), '0.0.0.0');
    expect(listed.judge(request({ host: 'venice.example.com:8081' }, '/health'), false).pass).toBe(true);
    expect(listed.judge(request({ host: 'localhost:8081' }, '/health'), false).pass).toBe(false);
  });
});

describe('venice up on a non-loopback host', () => {
  const configFor = (flags: Record<string, string>) =>
    loadConfig({ flags, env: {}, cwd: os.tmpdir(), catalog: COMPONENT_CATALOG });

  it('refuses without authentication, saying how to set it up or accept the risk', () => {
    const config = configFor({ host: '0.0.0.0' });
    let refusal: unknown;
    try {
      checkHttpExposure(config, ['broker', 'registry', 'console'], false);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StartRefused);
    const { message, hint } = refusal as StartRefused;
    expect(message).toContain('refusing to start registry, console on 0.0.0.0 without authentication');
    expect(hint).toContain('docs/security.md');
    expect(hint).toContain('venice up --insecure');
    expect(() => checkHttpExposure(config, ['registry'], true)).not.toThrow();
    expect(() => checkHttpExposure(configFor({}), ['registry'], false)).not.toThrow();
  });
});
