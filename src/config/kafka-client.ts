// The Kafka client settings (kafka.* in venice.yaml) checked together and assembled into what
// src/client takes: SASL credentials only with a SASL protocol, TLS files only with a TLS one, a
// client certificate with its key, and files that exist.
import fs from 'node:fs';
import { usesSasl, usesTls, type KafkaClientSettings, type TlsFiles } from '../client/security-settings.js';
import { ConfigError } from './errors.js';
import { passwordOf } from './secret-file.js';
import { SETTINGS, type SettingKey, type SettingValues } from './settings.js';

type Pick = <K extends SettingKey>(key: K) => SettingValues[K];

/** `pickPath` resolves a relative path against the directory of the source that gave it. */
export function resolveKafkaClient(
  pick: Pick,
  pickPath: (key: KafkaPathKey) => string | null,
  rankOf: (key: SettingKey) => number,
): KafkaClientSettings {
  const protocol = pick('kafkaSecurityProtocol');
  const username = pick('kafkaSaslUsername');
  const password = passwordOf(
    { value: pick('kafkaSaslPassword'), rank: rankOf('kafkaSaslPassword') },
    { value: pickPath('kafkaSaslPasswordFile'), rank: rankOf('kafkaSaslPasswordFile') },
    { password: names('kafkaSaslPassword'), file: names('kafkaSaslPasswordFile') },
  );
  const files: Record<KafkaFileKey, string | null> = {
    kafkaSslCaFile: pickPath('kafkaSslCaFile'),
    kafkaSslCertFile: pickPath('kafkaSslCertFile'),
    kafkaSslKeyFile: pickPath('kafkaSslKeyFile'),
  };
  const replicationFactor = pick('kafkaReplicationFactor');
  const settings: KafkaClientSettings =
    replicationFactor === null ? {} : { internalReplicationFactor: replicationFactor };

  if (usesSasl(protocol)) {
    if (username === null || password === null)
      throw new ConfigError(
        `${names('kafkaSecurityProtocol')} is ${protocol}, which needs a SASL username and password`,
        `set ${names('kafkaSaslUsername')} and ${names('kafkaSaslPassword')} (or ${SETTINGS.kafkaSaslPasswordFile.yaml})`,
      );
  } else if (username !== null || password !== null) {
    throw new ConfigError(
      `a SASL ${username !== null ? 'username' : 'password'} is set but ${names('kafkaSecurityProtocol')} is ${protocol}`,
      `set ${SETTINGS.kafkaSecurityProtocol.yaml} to SASL_SSL (or SASL_PLAINTEXT), or remove the SASL settings`,
    );
  }
  const given = FILE_KEYS.filter((key) => files[key] !== null);
  if (!usesTls(protocol) && given.length > 0)
    throw new ConfigError(
      `${SETTINGS[given[0] as KafkaFileKey].yaml} is set but ${names('kafkaSecurityProtocol')} is ${protocol}, which does not use TLS`,
      `set ${SETTINGS.kafkaSecurityProtocol.yaml} to SSL or SASL_SSL, or remove the TLS files`,
    );
  if ((files.kafkaSslCertFile === null) !== (files.kafkaSslKeyFile === null))
    throw new ConfigError(
      'a client certificate needs both its certificate and its key',
      `set both ${names('kafkaSslCertFile')} and ${names('kafkaSslKeyFile')}`,
    );
  for (const key of given) {
    const file = files[key] as string;
    if (!fs.existsSync(file))
      throw new ConfigError(`${SETTINGS[key].yaml}: ${file} does not exist`, `check ${names(key)}`);
  }

  if (protocol === 'PLAINTEXT') return settings;
  const tls: TlsFiles = {
    ...(files.kafkaSslCaFile !== null ? { caFile: files.kafkaSslCaFile } : {}),
    ...(files.kafkaSslCertFile !== null ? { certFile: files.kafkaSslCertFile } : {}),
    ...(files.kafkaSslKeyFile !== null ? { keyFile: files.kafkaSslKeyFile } : {}),
  };
  return {
    ...settings,
    security: {
      protocol,
      ...(usesSasl(protocol)
        ? {
            sasl: {
              mechanism: pick('kafkaSaslMechanism'),
              username: username ?? '',
              password: password ?? '',
            },
          }
        : {}),
      ...(usesTls(protocol) ? { tls } : {}),
    },
  };
}

export const FILE_KEYS = ['kafkaSslCaFile', 'kafkaSslCertFile', 'kafkaSslKeyFile'] as const;
export type KafkaFileKey = (typeof FILE_KEYS)[number];
/** The kafka.* settings that name files: the TLS files and the password file. */
export type KafkaPathKey = KafkaFileKey | 'kafkaSaslPasswordFile';

/** The keys of the Kafka client settings, in SETTINGS' order. */
export const KAFKA_CLIENT_KEYS = [
  'kafkaSecurityProtocol',
  'kafkaSaslMechanism',
  'kafkaSaslUsername',
  'kafkaSaslPassword',
  'kafkaSaslPasswordFile',
  'kafkaSslCaFile',
  'kafkaSslCertFile',
  'kafkaSslKeyFile',
  'kafkaReplicationFactor',
] as const satisfies readonly SettingKey[];

/** "kafka.saslUsername (VENICE_KAFKA_SASL_USERNAME, --kafka-sasl-username)" */
function names(key: SettingKey): string {
  const setting = SETTINGS[key];
  return `${setting.yaml} (${setting.env}, ${setting.flag})`;
}

/**
 * The settings as VENICE_* variables, which is how `venice up` hands them to its components: a
 * password in a process's arguments would show in `ps`, its environment does not.
 */
export function kafkaClientEnvironment(settings: KafkaClientSettings): Record<string, string> {
  const env: Record<string, string> = {
    [SETTINGS.kafkaSecurityProtocol.env]: settings.security?.protocol ?? 'PLAINTEXT',
  };
  const { sasl, tls } = settings.security ?? {};
  if (sasl) {
    env[SETTINGS.kafkaSaslMechanism.env] = sasl.mechanism;
    env[SETTINGS.kafkaSaslUsername.env] = sasl.username;
    env[SETTINGS.kafkaSaslPassword.env] = sasl.password;
  }
  if (tls?.caFile !== undefined) env[SETTINGS.kafkaSslCaFile.env] = tls.caFile;
  if (tls?.certFile !== undefined) env[SETTINGS.kafkaSslCertFile.env] = tls.certFile;
  if (tls?.keyFile !== undefined) env[SETTINGS.kafkaSslKeyFile.env] = tls.keyFile;
  if (settings.internalReplicationFactor !== undefined)
    env[SETTINGS.kafkaReplicationFactor.env] = String(settings.internalReplicationFactor);
  return env;
}
