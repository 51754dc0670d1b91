// TLS for SSL and SASL_SSL listeners, from PEM files: the broker's certificate chain and key, and the
// CA that client certificates must chain to (ssl.client.auth=required or requested).
import fs from 'node:fs';
import type tls from 'node:tls';

export const SSL_CLIENT_AUTH_MODES = ['required', 'requested', 'none'] as const;
export type SslClientAuth = (typeof SSL_CLIENT_AUTH_MODES)[number];

export interface TlsSettings {
  /** PEM certificate (chain) of the broker (Kafka: ssl.keystore.location, as PEM). */
  sslCertificateFile: string | null;
  /** PEM private key of the broker. */
  sslKeyFile: string | null;
  /** PEM CA certificates client certificates must chain to (Kafka: ssl.truststore.location). */
  sslCaFile: string | null;
  sslClientAuth: SslClientAuth;
}

export function tlsServerOptions(settings: TlsSettings, listenerName: string): tls.TlsOptions {
  if (settings.sslCertificateFile === null || settings.sslKeyFile === null) {
    throw new Error(
      `listener ${listenerName} uses TLS: give the broker's PEM certificate and key ` +
        `(--ssl-certificate-file and --ssl-key-file)`,
    );
  }
  if (settings.sslClientAuth !== 'none' && settings.sslCaFile === null) {
    throw new Error(
      `ssl.client.auth=${settings.sslClientAuth} needs the CA that signs client certificates (--ssl-ca-file)`,
    );
  }
  return {
    cert: readPem(settings.sslCertificateFile, '--ssl-certificate-file'),
    key: readPem(settings.sslKeyFile, '--ssl-key-file'),
    ...(settings.sslCaFile !== null && { ca: readPem(settings.sslCaFile, '--ssl-ca-file') }),
    requestCert: settings.sslClientAuth !== 'none',
    // "requested": a client without a certificate is let in (as User:ANONYMOUS); one with a bad one is not.
    rejectUnauthorized: settings.sslClientAuth === 'required',
    minVersion: 'TLSv1.2',
  };
}

function readPem(file: string, flag: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read ${file} (${flag}): ${(error as Error).message}`, {
      cause: error,
    });
  }
}
