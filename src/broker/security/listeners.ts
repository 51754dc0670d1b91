// The broker's listeners as Kafka configures them: `listeners` ("INTERNAL://127.0.0.1:9092,EXTERNAL://:9093"),
// `listener.security.protocol.map` ("INTERNAL:PLAINTEXT,EXTERNAL:SASL_SSL") and `advertised.listeners`.
// Without `listeners`, the broker has one PLAINTEXT listener on --host and --port, as it always had.
import { DEFAULT_LISTENER_NAME } from './principal.js';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export interface ListenerSpec {
  /** Upper case, as Kafka normalises it. */
  readonly name: string;
  readonly securityProtocol: SecurityProtocol;
  readonly host: string;
  /** 0 asks for any free port; the broker then updates advertisedPort unless it was given. */
  port: number;
  readonly advertisedHost: string;
  advertisedPort: number;
  /** Whether advertised.listeners named this listener's port (then a port-0 bind does not change it). */
  readonly advertisedPortGiven: boolean;
}

export interface ListenerSettings {
  host: string;
  port: number;
  advertisedHost: string;
  advertisedPort: number;
  listeners: string | null;
  listenerSecurityProtocolMap: string | null;
  advertisedListeners: string | null;
}

export function usesTls(protocol: SecurityProtocol): boolean {
  return protocol === 'SSL' || protocol === 'SASL_SSL';
}

export function usesSasl(protocol: SecurityProtocol): boolean {
  return protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
}

/** Kafka's default map: each protocol is also a listener name. */
function defaultProtocolMap(): Map<string, SecurityProtocol> {
  return new Map(SECURITY_PROTOCOLS.map((protocol) => [protocol, protocol]));
}

export function resolveListeners(settings: ListenerSettings): ListenerSpec[] {
  if (settings.listeners === null || settings.listeners.trim() === '') {
    if (settings.advertisedListeners !== null && settings.advertisedListeners.trim() !== '') {
      throw new Error('advertised.listeners needs listeners: set --listeners too, or use --advertised-host');
    }
    return [
      {
        name: DEFAULT_LISTENER_NAME,
        securityProtocol: 'PLAINTEXT',
        host: settings.host,
        port: settings.port,
        advertisedHost: settings.advertisedHost,
        advertisedPort: settings.advertisedPort,
        advertisedPortGiven: settings.advertisedPort !== settings.port,
      },
    ];
  }
  const protocols = parseProtocolMap(settings.listenerSecurityProtocolMap);
  const bound = parseEndpoints(settings.listeners, 'listeners');
  const advertised = parseEndpoints(settings.advertisedListeners ?? '', 'advertised.listeners');
  const ports = new Set<number>();
  const specs = bound.map((endpoint): ListenerSpec => {
    const securityProtocol = protocols.get(endpoint.name);
    if (!securityProtocol) {
      throw new Error(
        `listener ${endpoint.name} has no security protocol: add ${endpoint.name}:PLAINTEXT (or SSL, ` +
          `SASL_PLAINTEXT, SASL_SSL) to listener.security.protocol.map (--listener-security-protocol-map)`,
      );
    }
    if (endpoint.port !== 0 && ports.has(endpoint.port)) {
      throw new Error(`listeners: port ${endpoint.port} is given to two listeners; each needs its own port`);
    }
    ports.add(endpoint.port);
    const host = endpoint.host === '' ? '0.0.0.0' : endpoint.host;
    const told = advertised.find((candidate) => candidate.name === endpoint.name);
    return {
      name: endpoint.name,
      securityProtocol,
      host,
      port: endpoint.port,
      advertisedHost: told && told.host !== '' ? told.host : clientReachable(host),
      advertisedPort: told ? told.port : endpoint.port,
      advertisedPortGiven: told !== undefined,
    };
  });
  for (const told of advertised) {
    if (!bound.some((endpoint) => endpoint.name === told.name)) {
      throw new Error(`advertised.listeners names ${told.name}, which is not one of the listeners`);
    }
  }
  return specs;
}

/** A wildcard address is no address a client can reach: tell clients the loopback, as before. */
function clientReachable(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

interface Endpoint {
  name: string;
  host: string;
  port: number;
}

function parseEndpoints(text: string, setting: string): Endpoint[] {
  const endpoints: Endpoint[] = [];
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const match = /^([A-Za-z0-9_.-]+):\/\/(\[[^\]]*\]|[^:/]*):(\d+)$/.exec(entry);
    if (!match) {
      throw new Error(
        `${setting}: "${entry}" is not NAME://host:port (for example PLAINTEXT://127.0.0.1:9092)`,
      );
    }
    const name = match[1].toUpperCase();
    if (endpoints.some((endpoint) => endpoint.name === name)) {
      throw new Error(`${setting}: listener ${name} appears twice; each listener needs its own name`);
    }
    const port = Number(match[3]);
    if (port > 65535) throw new Error(`${setting}: port ${port} of ${name} is above 65535`);
    endpoints.push({ name, host: match[2].replace(/^\[|\]$/g, ''), port });
  }
  return endpoints;
}

function parseProtocolMap(text: string | null): Map<string, SecurityProtocol> {
  if (text === null || text.trim() === '') return defaultProtocolMap();
  const map = new Map<string, SecurityProtocol>();
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const [name, protocol, extra] = entry.split(':');
    const upper = protocol?.toUpperCase();
    if (extra !== undefined || !name || !SECURITY_PROTOCOLS.includes(upper as SecurityProtocol)) {
      throw new Error(
        `listener.security.protocol.map: "${entry}" is not NAME:PROTOCOL with PROTOCOL one of ${SECURITY_PROTOCOLS.join(', ')}`,
      );
    }
    map.set(name.toUpperCase(), upper as SecurityProtocol);
  }
  return map;
}
