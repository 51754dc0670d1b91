// The Kafka client settings: checked together, resolved to what src/client takes, and handed to the
// components in their environment.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { kafkaClientEnvironment } from '../../src/config/kafka-client.js';
import { loadConfig } from '../../src/config/load.js';
import { COMPONENT_CATALOG } from '../../src/supervisor/components.js';
import { describeSecurity } from '../../src/client/index.js';

function project(yaml?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-kafka-client-'));
  if (yaml !== undefined) fs.writeFileSync(path.join(dir, 'venice.yaml'), yaml);
  return dir;
}

const load = (env: Record<string, string>, cwd = project()) =>
  loadConfig({ cwd, env, catalog: COMPONENT_CATALOG }).kafkaClient;

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Kafka client settings', () => {
  it('are plaintext with the replication left to the cluster by default', () => {
    expect(load({})).toEqual({});
  });

  it('resolve SASL_SSL with SCRAM, a CA file relative to venice.yaml, and a replication factor', () => {
    const cwd = project(
      'kafka:\n  securityProtocol: sasl_ssl\n  saslMechanism: SCRAM-SHA-512\n  saslUsername: venice\n' +
        '  sslCaFile: certs/ca.pem\n  replicationFactor: 3\n',
    );
    fs.mkdirSync(path.join(cwd, 'certs'));
    fs.writeFileSync(path.join(cwd, 'certs/ca.pem'), 'x');
    const settings = load({ VENICE_KAFKA_SASL_PASSWORD: ' s3cret ' }, cwd);
    expect(settings).toEqual({
      internalReplicationFactor: 3,
      security: {
        protocol: 'SASL_SSL',
        sasl: { mechanism: 'SCRAM-SHA-512', username: 'venice', password: ' s3cret ' },
        tls: { caFile: path.join(cwd, 'certs/ca.pem') },
      },
    });
    expect(describeSecurity(settings.security)).toBe('SASL_SSL, SCRAM-SHA-512 as venice');
  });

  it('hand the components the same settings in VENICE_* variables', () => {
    const cwd = project();
    for (const name of ['ca.pem', 'client.pem', 'client.key']) fs.writeFileSync(path.join(cwd, name), 'x');
    const env = {
      VENICE_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      VENICE_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      VENICE_KAFKA_SASL_USERNAME: 'u',
      VENICE_KAFKA_SASL_PASSWORD: 'p',
      VENICE_KAFKA_SSL_CA_FILE: path.join(cwd, 'ca.pem'),
      VENICE_KAFKA_SSL_CERT_FILE: path.join(cwd, 'client.pem'),
      VENICE_KAFKA_SSL_KEY_FILE: path.join(cwd, 'client.key'),
      VENICE_KAFKA_REPLICATION_FACTOR: '2',
    };
    const settings = load(env, cwd);
    expect(kafkaClientEnvironment(settings)).toEqual(env);
    expect(load(kafkaClientEnvironment(settings), cwd)).toEqual(settings);
    expect(kafkaClientEnvironment({})).toEqual({ VENICE_KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' });
  });

  it('refuse settings that do not fit the protocol, and say which to set, never showing the password', () => {
    const sasl = failure(() => load({ VENICE_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }));
    expect(sasl.message).toContain('needs a SASL username and password');
    expect(sasl.hint).toContain('VENICE_KAFKA_SASL_PASSWORD');

    const stray = failure(() => load({ VENICE_KAFKA_SASL_PASSWORD: 'hunter2' }));
    expect(stray.message).toContain('a SASL password is set but kafka.securityProtocol');
    expect(`${stray.message} ${stray.hint}`).not.toContain('hunter2');

    const cwd = project();
    fs.writeFileSync(path.join(cwd, 'ca.pem'), 'x');
    expect(failure(() => load({ VENICE_KAFKA_SSL_CA_FILE: 'ca.pem' }, cwd)).message).toContain(
      'does not use TLS',
    );
    expect(
      failure(() =>
        load({ VENICE_KAFKA_SECURITY_PROTOCOL: 'SSL', VENICE_KAFKA_SSL_CERT_FILE: 'ca.pem' }, cwd),
      ).message,
    ).toContain('needs both its certificate and its key');
    expect(
      failure(() =>
        load({ VENICE_KAFKA_SECURITY_PROTOCOL: 'SSL', VENICE_KAFKA_SSL_CA_FILE: 'nope.pem' }, cwd),
      ).message,
    ).toMatch(/kafka\.sslCaFile: .*nope\.pem does not exist/);
    expect(failure(() => load({ VENICE_KAFKA_SECURITY_PROTOCOL: 'TLS' })).message).toContain(
      'expected one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL',
    );
    expect(failure(() => load({ VENICE_KAFKA_REPLICATION_FACTOR: '0' })).message).toContain('at least 1');
    // A number in venice.yaml is refused without repeating it.
    const yaml = project('kafka:\n  saslPassword: 123456\n');
    expect(failure(() => load({}, yaml)).message).not.toContain('123456');
  });
});
