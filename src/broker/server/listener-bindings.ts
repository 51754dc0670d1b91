// Turns the configured listeners into what the TCP server binds: TLS options for SSL and SASL_SSL,
// the SASL gate in front of the dispatcher for SASL listeners, and each new connection's principal
// (a client certificate's subject on SSL) or SASL session.
import type tls from 'node:tls';
import type { RequestProcessor } from './connection.js';
import type { ListenerBinding } from './tcp-server.js';
import { SaslGate } from './sasl-gate.js';
import { usesSasl, usesTls, type ListenerSpec } from '../security/listeners.js';
import { tlsServerOptions, type TlsSettings } from '../security/tls-settings.js';
import { certificatePrincipal } from '../security/certificate-principal.js';
import { SaslSession, type SaslSettings } from '../security/sasl-session.js';

export function listenerBindings(
  listeners: readonly ListenerSpec[],
  dispatcher: RequestProcessor,
  tlsSettings: TlsSettings,
  sasl: () => SaslSettings,
): ListenerBinding[] {
  // One gate serves every SASL listener: the state it needs lives on each connection.
  let gate: SaslGate | undefined;
  return listeners.map((listener): ListenerBinding => {
    // As in Kafka, ssl.client.auth applies to SSL listeners; a SASL_SSL client proves itself with SASL.
    const clientAuth = listener.securityProtocol === 'SSL' ? tlsSettings.sslClientAuth : 'none';
    const secure = usesTls(listener.securityProtocol)
      ? tlsServerOptions({ ...tlsSettings, sslClientAuth: clientAuth }, listener.name)
      : null;
    const base = { name: listener.name, host: listener.host, port: listener.port, tls: secure };
    if (usesSasl(listener.securityProtocol)) {
      const settings = sasl();
      gate ??= new SaslGate(dispatcher);
      return {
        ...base,
        processor: gate,
        prepare: (connection) => {
          connection.sasl = new SaslSession(connection, settings);
        },
      };
    }
    if (secure !== null) {
      return {
        ...base,
        processor: dispatcher,
        prepare: (connection, socket) => {
          connection.principal = certificatePrincipal(socket as tls.TLSSocket);
        },
      };
    }
    return { ...base, processor: dispatcher };
  });
}
