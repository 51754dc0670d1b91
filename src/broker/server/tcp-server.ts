// The Kafka listeners: accept sockets (plain TCP, or TLS for SSL and SASL_SSL listeners) within the
// connection caps, shared by all listeners, and wrap each in a Connection.
import net from 'node:net';
import tls from 'node:tls';
import { Connection, type ConnectionLimits, type RequestProcessor } from './connection.js';
import { RequestMemory } from './request-memory.js';
import { RateLimitedLog, type RateLimit } from '../rate-limited-log.js';
import type { PrincipalBuilder } from '../security/principal-builder.js';

export interface ServerLimits extends ConnectionLimits {
  /** Bytes all connections together may hold in requests being read or answered (queued.max.request.bytes). */
  readonly queuedMaxRequestBytes: number;
  /** Connections open at once (max.connections). */
  readonly maxConnections: number;
  /** Connections open at once from one address (max.connections.per.ip). */
  readonly maxConnectionsPerIp: number;
}

/** One listener: where it binds, how its connections are secured and who answers their requests. */
export interface ListenerBinding {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly processor: RequestProcessor;
  /** TLS server options for SSL and SASL_SSL listeners; null for plain TCP. */
  readonly tls: tls.TlsOptions | null;
  /** Sets up a new connection's authentication: its principal from a client certificate, its SASL session. */
  prepare?(connection: Connection, socket: net.Socket): void;
}

export interface TcpServerOptions {
  listeners: readonly ListenerBinding[];
  limits: ServerLimits;
  /** Where warnings about clients go; they are rate-limited here, per kind. */
  warn?: (message: string) => void;
  warningRateLimit?: RateLimit;
  /** Names each new connection's principal (User:ANONYMOUS without one). */
  principalBuilder?: PrincipalBuilder | null;
}

export class TcpServer {
  private readonly servers: net.Server[];
  private readonly connections = new Set<Connection>();
  private readonly connectionsPerAddress = new Map<string, number>();
  private readonly memory: RequestMemory;
  private readonly warnings: RateLimitedLog;
  private nextConnectionId = 1;

  constructor(private readonly options: TcpServerOptions) {
    this.servers = options.listeners.map((listener) => this.createServer(listener));
    this.memory = new RequestMemory(options.limits.queuedMaxRequestBytes);
    this.warnings = new RateLimitedLog(options.warn ?? (() => {}), options.warningRateLimit);
  }

  private createServer(listener: ListenerBinding): net.Server {
    if (listener.tls === null) return net.createServer((socket) => this.accept(socket, listener));
    // A handshake left unfinished (a truncated ClientHello) is closed like a request left unfinished,
    // rather than after Node's 120 s: until it completes, the connection caps do not count it.
    const options = { ...listener.tls, handshakeTimeout: this.options.limits.requestReadTimeoutMs };
    const server = tls.createServer(options, (socket) => this.accept(socket, listener));
    server.on('tlsClientError', (error, socket) => {
      this.warnings.warning(
        'tls',
        `TLS handshake with ${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0} on listener ` +
          `${listener.name} failed: ${error.message}`,
      );
      // Node leaves the socket open after a handshake timeout (found by test/broker/fuzz-security.test.ts):
      // without this a stalled handshake would hold its socket for ever, outside the connection caps.
      socket.destroy();
    });
    return server;
  }

  private accept(socket: net.Socket, listener: ListenerBinding): void {
    const { limits } = this.options;
    const address = socket.remoteAddress ?? 'unknown';
    const fromAddress = this.connectionsPerAddress.get(address) ?? 0;
    let refusal: string | null = null;
    if (this.connections.size >= limits.maxConnections) {
      refusal = `${this.connections.size} connections are open (max.connections ${limits.maxConnections})`;
    } else if (fromAddress >= limits.maxConnectionsPerIp) {
      refusal = `${fromAddress} connections from this address are open (max.connections.per.ip ${limits.maxConnectionsPerIp})`;
    }
    if (refusal !== null) {
      this.warnings.warning('refused', `refused connection from ${address}:${socket.remotePort}: ${refusal}`);
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    this.connectionsPerAddress.set(address, fromAddress + 1);
    const connection = new Connection(
      this.nextConnectionId++,
      socket,
      listener.processor,
      {
        onClose: (closed) => this.forget(closed, address),
        onProtocolError: (failed, error) =>
          this.warnings.warning(
            'protocol-error',
            `closed connection from ${describe(failed)}: ${error.message}`,
          ),
        onLimitClose: (limited, kind, message) => {
          // Idle clients are ordinary (Kafka logs them at debug); a stalled frame is worth a warning.
          if (kind === 'read-timeout')
            this.warnings.warning(kind, `closed connection from ${describe(limited)}: ${message}`);
        },
      },
      limits,
      this.memory,
    );
    connection.listenerName = listener.name;
    listener.prepare?.(connection, socket);
    if (this.options.principalBuilder) connection.principal = this.options.principalBuilder(connection);
    this.connections.add(connection);
  }

  private forget(connection: Connection, address: string): void {
    if (!this.connections.delete(connection)) return;
    const left = (this.connectionsPerAddress.get(address) ?? 1) - 1;
    if (left > 0) this.connectionsPerAddress.set(address, left);
    else this.connectionsPerAddress.delete(address);
  }

  /**
   * Binds the listener at `index` of the options; resolves with the port actually bound (useful when 0
   * asks for any free port).
   */
  listen(index = 0): Promise<number> {
    const server = this.servers[index];
    const { host, port } = this.options.listeners[index];
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen({ host, port }, () => {
        server.off('error', onError);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Bytes currently reserved by requests being read or answered. */
  get heldRequestBytes(): number {
    return this.memory.heldBytes;
  }

  async close(): Promise<void> {
    const closed = this.servers.map(
      (server) =>
        new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
    );
    for (const connection of this.connections) connection.close();
    await Promise.all(closed);
    this.warnings.flush();
  }
}

function describe(connection: Connection): string {
  return `${connection.remoteAddress}:${connection.remotePort}`;
}
