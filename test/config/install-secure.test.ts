// `venice install --secure`: what it writes (secure venice.yaml, secrets of mode 0600, certificates,
// SECURITY.md), that the configuration it makes resolves as designed (the services log in as the super
// user `venice` on a SASL listener on ports.kafka; no unauthenticated path), that no secret is printed,
// and the checks `venice up` makes of the broker settings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkEmbeddedBroker } from '../../src/config/broker.js';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { COMPONENT_CATALOG } from '../../src/supervisor/components.js';
import { brokerSecurityArguments } from '../../src/supervisor/broker-arguments.js';
import { verifyPassword } from '../../src/service/http-security/passwords.js';
import { runVenice } from '../cli/lifecycle-helpers.js';

const catalog = COMPONENT_CATALOG;
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('venice install --secure', { timeout: 60_000 }, () => {
  let project: string;
  let printed: string;
  const secret = (name: string) => fs.readFileSync(path.join(project, 'secrets', name), 'utf8').trim();

  beforeAll(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-install-secure-'));
    const result = await runVenice(['install', '--secure', project], { cwd: os.tmpdir() });
    expect(result.code, result.stderr).toBe(0);
    printed = result.stdout + result.stderr;
  });

  it('keeps every secret in secrets/, readable by its owner only, and out of git', () => {
    expect(mode(path.join(project, 'secrets'))).toBe(0o700);
    for (const file of fs.readdirSync(path.join(project, 'secrets')))
      expect(mode(path.join(project, 'secrets', file)), file).toBe(0o600);
    for (const key of ['ca-key.pem', 'server-key.pem'])
      expect(mode(path.join(project, 'certs', key))).toBe(0o600);
    const gitignore = fs.readFileSync(path.join(project, '.gitignore'), 'utf8');
    expect(gitignore).toContain('secrets/');
    expect(gitignore).toContain('certs/*-key.pem');
  });

  it('prints no secret, and venice.yaml and SECURITY.md hold none', () => {
    const yaml = fs.readFileSync(path.join(project, 'venice.yaml'), 'utf8');
    const security = fs.readFileSync(path.join(project, 'SECURITY.md'), 'utf8');
    for (const file of [
      'kafka-venice.password',
      'kafka-admin.password',
      'kafka-orders-app.password',
      'http-admin.password',
    ]) {
      const password = secret(file);
      expect(password.length).toBeGreaterThanOrEqual(24);
      for (const text of [printed, yaml, security]) expect(text).not.toContain(password);
    }
    expect(printed).toContain('SECURITY.md');
    expect(printed).toContain(
      'venice users create orders-app --mechanism SCRAM-SHA-512 --password-stdin < secrets/kafka-orders-app.password',
    );
    expect(printed).toContain(
      '--allow-principal User:orders-app --operation READ --group orders-app --resource-pattern-type PREFIXED',
    );
    expect(security).toContain('venice users create admin --mechanism SCRAM-SHA-512');
  });

  it('resolves to the services logging in as the super user venice on a SASL listener on ports.kafka', () => {
    const config = loadConfig({ cwd: project, env: {}, catalog });
    expect(config.kafkaClient.security).toEqual({
      protocol: 'SASL_PLAINTEXT',
      sasl: { mechanism: 'PLAIN', username: 'venice', password: secret('kafka-venice.password') },
    });
    // The broker's PLAIN users file gives venice the same password.
    expect(fs.readFileSync(config.broker.saslPlainUsersFile!, 'utf8')).toContain(
      `\nvenice=${secret('kafka-venice.password')}\n`,
    );
    expect(config.broker).toMatchObject({
      listeners: 'SERVICES://127.0.0.1:9092,EXTERNAL://0.0.0.0:9093',
      listenerSecurityProtocolMap: 'SERVICES:SASL_PLAINTEXT,EXTERNAL:SASL_SSL',
      sslCertFile: path.join(project, 'certs/server.pem'),
      sslKeyFile: path.join(project, 'certs/server-key.pem'),
      saslEnabledMechanisms: ['PLAIN', 'SCRAM-SHA-512'],
      authorizer: true,
      superUsers: ['User:venice', 'User:admin'],
      allowEveryoneIfNoAclFound: false,
    });
    expect(() =>
      checkEmbeddedBroker(config.broker, {
        host: config.host,
        kafkaPort: config.ports.kafka,
        protocol: 'SASL_PLAINTEXT',
      }),
    ).not.toThrow();
    expect(brokerSecurityArguments(config.broker)).toEqual(
      expect.arrayContaining(['--authorizer', '--super-users', 'User:venice;User:admin', '--listeners']),
    );
    // HTTP: basic auth with the admin user, whose password is in its file.
    expect(config.http.server.authenticationMethod).toBe('BASIC');
    const admin = config.http.server.users.find((user) => user.name === 'admin')!;
    expect(admin.roles).toEqual(['admin']);
    expect(verifyPassword(secret('http-admin.password'), admin.passwordHash)).toBe(true);
    expect(config.http.client).toMatchObject({ user: 'admin', password: secret('http-admin.password') });
  });

  it('gives the environment precedence over the password file, as for every setting', () => {
    const config = loadConfig({ cwd: project, env: { VENICE_KAFKA_SASL_PASSWORD: 'from-env' }, catalog });
    expect(config.kafkaClient.security?.sasl?.password).toBe('from-env');
  });

  it('refuses a password and its file from one source, and names a missing file', () => {
    const both = {
      VENICE_KAFKA_SASL_PASSWORD: 'pw',
      VENICE_KAFKA_SASL_PASSWORD_FILE: path.join(project, 'secrets', 'kafka-venice.password'),
    };
    expect(() => loadConfig({ cwd: project, env: both, catalog })).toThrow(
      /both kafka.saslPassword .* and kafka.saslPasswordFile/,
    );
    const missing = { VENICE_HTTP_PASSWORD_FILE: path.join(project, 'secrets', 'nope') };
    expect(() => loadConfig({ cwd: project, env: missing, catalog })).toThrow(
      /http.passwordFile: cannot read .*nope \(ENOENT\)/,
    );
  });

  it('refuses to replace the secrets without --force', async () => {
    const before = secret('kafka-venice.password');
    const again = await runVenice(['install', '--secure', project], { cwd: os.tmpdir() });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('secrets/kafka-venice.password');
    expect(secret('kafka-venice.password')).toBe(before);
  });
});

describe("venice up's checks of the broker settings", () => {
  const project = () => fs.mkdtempSync(path.join(os.tmpdir(), 'venice-broker-check-'));
  const check = (env: Record<string, string>) => {
    const config = loadConfig({ cwd: project(), env, catalog });
    checkEmbeddedBroker(config.broker, {
      host: config.host,
      kafkaPort: config.ports.kafka,
      protocol: config.kafkaClient.security?.protocol ?? 'PLAINTEXT',
    });
  };
  const failure = (env: Record<string, string>): ConfigError => {
    try {
      check(env);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError');
  };
  const sasl = {
    VENICE_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
    VENICE_KAFKA_SASL_USERNAME: 'venice',
    VENICE_KAFKA_SASL_PASSWORD: 'pw',
  };

  it('accepts the default single PLAINTEXT listener', () => {
    expect(() => check({})).not.toThrow();
  });

  it('needs a listener on ports.kafka, for the services', () => {
    const error = failure({
      VENICE_BROKER_LISTENERS: 'EXTERNAL://0.0.0.0:9093',
      VENICE_BROKER_LISTENER_SECURITY_PROTOCOL_MAP: 'EXTERNAL:PLAINTEXT',
    });
    expect(error.message).toContain('no listener on ports.kafka (9092)');
    expect(error.hint).toContain('SERVICES://127.0.0.1:9092');
  });

  it('needs that listener to speak kafka.securityProtocol', () => {
    const error = failure({ ...sasl, VENICE_BROKER_LISTENERS: 'PLAINTEXT://127.0.0.1:9092' });
    expect(error.message).toContain('is PLAINTEXT but kafka.securityProtocol is SASL_PLAINTEXT');
  });

  it('refuses an unauthenticated services listener with the authorizer on, and ANONYMOUS as a super user', () => {
    expect(failure({ VENICE_BROKER_AUTHORIZER: 'on' }).message).toContain('would be User:ANONYMOUS');
    expect(() =>
      loadConfig({ cwd: project(), env: { VENICE_BROKER_SUPER_USERS: 'User:ANONYMOUS' }, catalog }),
    ).toThrow(/User:ANONYMOUS/);
  });

  it('needs a certificate for a TLS listener', () => {
    const error = failure({
      VENICE_BROKER_LISTENERS: 'PLAINTEXT://127.0.0.1:9092,EXTERNAL://0.0.0.0:9093',
      VENICE_BROKER_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,EXTERNAL:SASL_SSL',
    });
    expect(error.message).toContain('listener EXTERNAL uses TLS');
  });
});
