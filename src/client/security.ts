// Turns Venice's KafkaSecurity into @platformatic/kafka's connection options: `tls` for SSL and
// SASL_SSL, `sasl` for SASL_PLAINTEXT and SASL_SSL. The PEM files are read once, when a connection is
// opened, so a missing file fails at once with its path rather than on the first request.
import fs from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { KafkaClientError } from './errors.js';
import { usesSasl, usesTls, type KafkaSecurity } from './security-settings.js';

export interface LibrarySecurityOptions {
  tls?: TlsOptions;
  sasl?: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string };
}

export function librarySecurityOptions(security: KafkaSecurity | undefined): LibrarySecurityOptions {
  if (security === undefined || security.protocol === 'PLAINTEXT') return {};
  const options: LibrarySecurityOptions = {};
  if (usesTls(security.protocol)) options.tls = tlsOptions(security);
  if (usesSasl(security.protocol)) {
    if (!security.sasl)
      throw new KafkaClientError(
        'invalid',
        `security protocol ${security.protocol} needs a SASL mechanism, username and password`,
      );
    const { mechanism, username, password } = security.sasl;
    options.sasl = { mechanism, username, password };
  }
  return options;
}

function tlsOptions(security: KafkaSecurity): TlsOptions {
  const files = security.tls ?? {};
  if ((files.certFile === undefined) !== (files.keyFile === undefined))
    throw new KafkaClientError(
      'invalid',
      'a client certificate needs both its certificate file and its key file',
    );
  return {
    ...(files.caFile !== undefined ? { ca: readPem(files.caFile, 'CA file') } : {}),
    ...(files.certFile !== undefined ? { cert: readPem(files.certFile, 'client certificate file') } : {}),
    ...(files.keyFile !== undefined ? { key: readPem(files.keyFile, 'client key file') } : {}),
  };
}

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new KafkaClientError('invalid', `cannot read the Kafka TLS ${what} ${file}: ${reason}`);
  }
}
